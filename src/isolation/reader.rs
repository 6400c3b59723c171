//! Text as a reader sees it, for the leak guard: markup removed (attribute
//! values kept apart, since a reader meets them as alt text, titles and
//! labels), entities decoded, Unicode NFKC, case folded, typographic
//! quotes and dashes folded to plain ones, runs of whitespace as one
//! space. Zero-width characters are read both ways a name could hide
//! behind them: as nothing (`Be\u{200b}ta`) and as a space
//! (`Beta\u{200b}Gadgets`).

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The two readings of one file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Zero-width characters removed.
    pub joined: String,
    /// Zero-width characters read as spaces.
    pub spaced: String,
}

/// How a file's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HTML, XML, SVG, Atom: tags removed, entities decoded.
    Markup,
    /// JSON, CSV, CSS, scripts, plain text: read as they are.
    Plain,
    /// Images and other binary files: no text.
    Binary,
}

/// How the file at `path` is read, by its name.
pub fn kind_of(path: &str) -> Kind {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xml" | "svg" | "atom" | "rss" | "xhtml" => Kind::Markup,
        "json" | "csv" | "txt" | "css" | "js" | "mjs" | "md" | "map" | "webmanifest" | "toml"
        | "yaml" | "yml" | "" => Kind::Plain,
        _ => Kind::Binary,
    }
}

/// Reads a file's bytes as a reader would; `None` for binary content.
pub fn read(path: &str, bytes: &[u8]) -> Option<Reading> {
    let kind = kind_of(path);
    if kind == Kind::Binary {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let text = match kind {
        Kind::Markup => strip_markup(&text),
        _ => text.into_owned(),
    };
    Some(Reading {
        joined: fold(&text, true),
        spaced: fold(&text, false),
    })
}

/// A name or title in the form the readings of files take (zero-width
/// characters removed).
pub fn normalize(s: &str) -> String {
    fold(&html_escape::decode_html_entities(s), true)
}

/// Elements that run inside a line of text: removing them joins what is
/// on either side. Every other tag reads as a space.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tspan", "u", "var",
    "wbr",
];

/// The text of markup: the text between tags (comments included: they are
/// in the file), then, apart, every attribute value; entities decoded.
fn strip_markup(markup: &str) -> String {
    let mut text = String::with_capacity(markup.len());
    let mut attributes = String::new();
    let mut rest = markup;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").unwrap_or(comment.len());
            text.push(' ');
            text.push_str(&comment[..end]);
            text.push(' ');
            rest = comment.get(end + 3..).unwrap_or("");
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            text.push(' ');
        }
        for value in attribute_values(tag) {
            attributes.push('\n');
            attributes.push_str(value);
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    text.push('\n');
    text.push_str(&attributes);
    html_escape::decode_html_entities(&text).into_owned()
}

/// The end of the tag starting `s` (after its `>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The values of a tag's attributes (quoted or not).
fn attribute_values(tag: &str) -> Vec<&str> {
    let mut values = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &after[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                (&inner[..end], inner.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        values.push(value);
        rest = next;
    }
    values
}

/// NFKC, case fold, plain quotes and dashes, whitespace runs as one space;
/// zero-width characters removed (`join`) or read as spaces.
fn fold(s: &str, join: bool) -> String {
    let nfkc: std::borrow::Cow<'_, str> = match is_nfkc_quick(s.chars()) {
        IsNormalized::Yes => s.into(),
        _ => s.nfkc().collect::<String>().into(),
    };
    let mut out = String::with_capacity(nfkc.len());
    let mut space = true;
    for c in nfkc.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2035}'
            | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{2036}'
            | '\u{00ab}' | '\u{00bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
            | '\u{180e}' => {
                if join {
                    continue;
                }
                ' '
            }
            c => c,
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(path: &str, s: &str) -> String {
        read(path, s.as_bytes()).unwrap().joined
    }

    #[test]
    fn markup_entities_case_and_spaces_read_as_text() {
        assert_eq!(
            joined(
                "a.html",
                "<p>Beta <em>Gadgets</em></p><p>O&#8217;Reilly&nbsp;Co</p>"
            ),
            "beta gadgets o'reilly co "
        );
        assert_eq!(joined("a.html", "Beta<br>Gadgets"), "beta gadgets ");
        assert_eq!(joined("a.html", "BETA\n\t GADGETS"), "beta gadgets ");
    }

    #[test]
    fn attribute_values_are_read_apart_from_the_text() {
        let r = joined(
            "a.html",
            "<a href=\"/x/\">Beta</a> <img alt='Gamma Logo'>Gadgets",
        );
        assert!(r.starts_with("beta gadgets"), "{r}");
        assert!(r.contains("gamma logo"), "{r}");
        assert!(r.contains("/x/"), "{r}");
    }

    #[test]
    fn unicode_tricks_are_undone() {
        // NFD é, a fullwidth letter, a zero-width space inside the word.
        let r = read("a.txt", "Caf\u{0065}\u{0301} Ｂeta Be\u{200b}ta".as_bytes()).unwrap();
        assert_eq!(r.joined, "café beta beta");
        assert_eq!(
            read("a.txt", "Beta\u{200b}Gadgets".as_bytes())
                .unwrap()
                .spaced,
            "beta gadgets"
        );
        assert_eq!(normalize("O’Reilly — Labs"), "o'reilly - labs");
        assert_eq!(normalize("Beta &amp; Co"), "beta & co");
    }

    #[test]
    fn comments_are_text_and_images_are_not() {
        assert!(joined("a.html", "<!-- Beta Gadgets -->x").contains("beta gadgets"));
        assert_eq!(read("logo.png", b"\x89PNG"), None);
        assert_eq!(kind_of("pagefind/wasm.en.pagefind"), Kind::Binary);
        assert_eq!(kind_of("partners/a/report.json"), Kind::Plain);
    }
}
