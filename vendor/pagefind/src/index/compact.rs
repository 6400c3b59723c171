//! partnersite: the words of the index, held compactly until its chunks
//! are encoded.
//!
//! Upstream keeps each word of each page as a `PackedPage` (a page number
//! and two `Vec<i32>`, 56 bytes and two allocations) from the moment the
//! page is read until the index is written: on the 10,000-page benchmark,
//! a million of them and ten million locations, most of the memory a
//! build with search on held. Here a page's words are one byte buffer
//! (`PageWords`, made as the page is read), and the index being built keeps
//! each word's pages as one byte buffer too (`CompactWord`), both as LEB128
//! varints; a word becomes a `PackedWord` only while its chunk is encoded.
//! The encoded index is byte for byte what upstream writes.

use super::index_words::{PackedPage, PackedVariant, PackedWord};

/// Appends `v` as an unsigned LEB128 varint.
fn put_uint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads the varint at `*at`, moving past it.
fn get_uint(buf: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = buf[*at];
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// Appends a list of locations: its length, then each one zigzag-encoded.
fn put_list(buf: &mut Vec<u8>, list: &[i32]) {
    put_uint(buf, list.len() as u64);
    for &x in list {
        put_uint(buf, u64::from(((x << 1) ^ (x >> 31)) as u32));
    }
}

/// Reads the list at `*at`, moving past it.
fn get_list(buf: &[u8], at: &mut usize) -> Vec<i32> {
    let n = get_uint(buf, at) as usize;
    (0..n)
        .map(|_| {
            let z = get_uint(buf, at) as u32;
            ((z >> 1) as i32) ^ -((z & 1) as i32)
        })
        .collect()
}

/// The encoded list at `*at` (its length and items), moving past it, and
/// how many locations it holds.
fn skip_list<'a>(buf: &'a [u8], at: &mut usize) -> (&'a [u8], usize) {
    let start = *at;
    let n = get_uint(buf, at) as usize;
    for _ in 0..n {
        get_uint(buf, at);
    }
    (&buf[start..*at], n)
}

/// Reads the string at `*at` (its length, then its bytes).
fn get_str<'a>(buf: &'a [u8], at: &mut usize) -> &'a str {
    let n = get_uint(buf, at) as usize;
    let s = std::str::from_utf8(&buf[*at..*at + n]).expect("written from a str");
    *at += n;
    s
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_uint(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

/// The words of one page as `pack_page_words` packs them (each word with
/// its locations and those of each variant form), in one buffer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageWords {
    buf: Box<[u8]>,
    count: usize,
}

/// One word of a page: its locations, and each variant form's, encoded.
pub struct PageWordRef<'a> {
    pub word: &'a str,
    /// Encoded (`put_list`); empty list if none.
    pub locs: (&'a [u8], usize),
    pub variants: Vec<(&'a str, (&'a [u8], usize))>,
}

impl PageWords {
    /// Packs `words`: (word, its locations, (form, locations) of each
    /// variant form), in the order given.
    pub fn pack<W: AsRef<str>>(
        words: impl Iterator<Item = (W, Vec<i32>, Vec<(String, Vec<i32>)>)>,
    ) -> PageWords {
        let mut buf = Vec::new();
        let mut count = 0;
        for (word, locs, variants) in words {
            put_str(&mut buf, word.as_ref());
            put_list(&mut buf, &locs);
            put_uint(&mut buf, variants.len() as u64);
            for (form, locs) in &variants {
                put_str(&mut buf, form);
                put_list(&mut buf, locs);
            }
            count += 1;
        }
        PageWords {
            buf: buf.into_boxed_slice(),
            count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The words, in the order they were packed.
    pub fn iter(&self) -> impl Iterator<Item = PageWordRef<'_>> {
        let buf = &self.buf[..];
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= buf.len() {
                return None;
            }
            let word = get_str(buf, &mut at);
            let locs = skip_list(buf, &mut at);
            let n = get_uint(buf, &mut at) as usize;
            let variants = (0..n)
                .map(|_| {
                    let form = get_str(buf, &mut at);
                    (form, skip_list(buf, &mut at))
                })
                .collect();
            Some(PageWordRef {
                word,
                locs,
                variants,
            })
        })
    }

    /// The words unpacked (for tests).
    #[cfg(test)]
    pub fn unpacked(&self) -> Vec<(String, Vec<i32>, Vec<(String, Vec<i32>)>)> {
        let list = |(bytes, _): (&[u8], usize)| get_list(bytes, &mut 0);
        self.iter()
            .map(|w| {
                let variants = w
                    .variants
                    .into_iter()
                    .map(|(f, l)| (f.to_string(), list(l)))
                    .collect();
                (w.word.to_string(), list(w.locs), variants)
            })
            .collect()
    }
}

/// A word of the index being built: its pages, and each variant form's,
/// in page order, each page as (number, locations, meta locations).
#[derive(Debug, Default)]
pub struct CompactWord {
    pub word: String,
    pages: Vec<u8>,
    variants: Vec<(String, Vec<u8>)>,
    /// What `chunk_index` counts: for every page of the word and of its
    /// variants, its locations and meta locations plus one; and one per
    /// variant.
    pub size: usize,
}

/// A page's entry in a word's list: locations as encoded in `PageWords`,
/// meta locations as `meta_positions_to_packed` gives them.
fn put_page(buf: &mut Vec<u8>, page: usize, locs: (&[u8], usize), meta: &[i32]) -> usize {
    put_uint(buf, page as u64);
    if locs.0.is_empty() {
        put_list(buf, &[]);
    } else {
        buf.extend_from_slice(locs.0);
    }
    put_list(buf, meta);
    locs.1 + meta.len() + 1
}

const NO_LOCS: (&[u8], usize) = (&[], 0);

impl CompactWord {
    pub fn new(word: String) -> CompactWord {
        CompactWord {
            word,
            ..CompactWord::default()
        }
    }

    /// Adds page `page` to the word's own pages.
    pub fn push(&mut self, page: usize, locs: Option<(&[u8], usize)>, meta: &[i32]) {
        self.size += put_page(&mut self.pages, page, locs.unwrap_or(NO_LOCS), meta);
    }

    /// Adds page `page` to the pages of variant `form`, a variant made
    /// after the others if new.
    pub fn push_variant(
        &mut self,
        form: &str,
        page: usize,
        locs: Option<(&[u8], usize)>,
        meta: &[i32],
    ) {
        let i = match self.variants.iter().position(|(f, _)| f == form) {
            Some(i) => i,
            None => {
                self.variants.push((form.to_string(), Vec::new()));
                self.size += 1;
                self.variants.len() - 1
            }
        };
        self.size += put_page(&mut self.variants[i].1, page, locs.unwrap_or(NO_LOCS), meta);
    }

    /// The word as upstream's index holds it.
    pub fn unpack(&self) -> PackedWord {
        PackedWord {
            word: self.word.clone(),
            pages: pages(&self.pages),
            additional_variants: (self.variants.iter())
                .map(|(form, buf)| PackedVariant {
                    form: form.clone(),
                    pages: pages(buf),
                })
                .collect(),
        }
    }
}

fn pages(buf: &[u8]) -> Vec<PackedPage> {
    let mut at = 0;
    let mut pages = Vec::new();
    while at < buf.len() {
        let page_number = get_uint(buf, &mut at) as usize;
        let locs = get_list(buf, &mut at);
        let meta_locs = get_list(buf, &mut at);
        pages.push(PackedPage {
            page_number,
            locs,
            meta_locs,
        });
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_words_unpack_to_what_was_packed() {
        let words = vec![
            (
                "cafe".to_string(),
                vec![1, 5, -26, 300, 0, i32::MAX, i32::MIN],
                vec![
                    ("café".to_string(), vec![2, 7]),
                    ("cafè".to_string(), vec![]),
                ],
            ),
            ("x".to_string(), vec![], vec![("ẍ".to_string(), vec![-1])]),
            ("".to_string(), vec![], vec![]),
        ];
        let packed = PageWords::pack(
            words
                .iter()
                .map(|(w, l, v)| (w.as_str(), l.clone(), v.clone())),
        );
        assert_eq!(packed.iter().count(), 3);
        assert_eq!(packed.unpacked(), words);
    }

    #[test]
    fn a_compact_word_unpacks_to_its_pages_in_order() {
        let page =
            PageWords::pack([("w", vec![3, 4], vec![("ẃ".to_string(), vec![9])])].into_iter());
        let word = page.iter().next().unwrap();
        let mut compact = CompactWord::new("w".into());
        compact.push(2, Some(word.locs), &[-1, 0]);
        compact.push(7, None, &[-2, 3]);
        compact.push_variant("ẃ", 2, Some(word.variants[0].1), &[]);
        compact.push_variant("ẅ", 7, None, &[5]);
        let unpacked = compact.unpack();
        let pages: Vec<_> = (unpacked.pages.iter())
            .map(|p| (p.page_number, p.locs.clone(), p.meta_locs.clone()))
            .collect();
        assert_eq!(
            pages,
            [(2, vec![3, 4], vec![-1, 0]), (7, vec![], vec![-2, 3])]
        );
        let forms: Vec<_> = (unpacked.additional_variants.iter())
            .map(|v| (v.form.as_str(), v.pages.len()))
            .collect();
        assert_eq!(forms, [("ẃ", 1), ("ẅ", 1)]);
        // 2 pages (2 + 2 + 1, 0 + 2 + 1), 2 variants (1 + 0 + 1, 0 + 1 + 1), 2 forms.
        assert_eq!(compact.size, 5 + 3 + 2 + 2 + 2);
    }
}
