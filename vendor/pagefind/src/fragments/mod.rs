use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
pub struct PageAnchorData {
    pub element: String,
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub location: u32,
}

#[derive(Serialize, Debug, Clone)]
pub struct PageFragmentData {
    pub url: String,
    pub content: String,
    pub word_count: usize,
    pub filters: BTreeMap<String, Vec<String>>,
    pub meta: BTreeMap<String, String>,
    pub anchors: Vec<PageAnchorData>,
}

#[derive(Debug, Clone)]
pub struct PageFragment {
    pub page_number: usize,
    pub data: PageFragmentData,
}

/// partnersite: a page's fragment file as the index writes it: the SHA-1 of
/// its JSON (`utils::full_hash`, without the language the name adds), and
/// the file's bytes, gzipped as `output` gzips every index file.
#[derive(Debug, Clone)]
pub struct EncodedFragment {
    pub hash: String,
    pub gzipped: Vec<u8>,
}

impl EncodedFragment {
    /// `data`, encoded. Its JSON is written into a buffer the size of the
    /// page's text and then some, not one grown by doubling from empty.
    pub fn of(data: &PageFragmentData) -> Self {
        let json = encode(data);
        EncodedFragment {
            hash: crate::utils::full_hash(&json),
            gzipped: crate::output::gzip(&[&json]),
        }
    }
}

/// `data` as the JSON of its fragment file.
pub fn encode(data: &PageFragmentData) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(data.content.len() + data.content.len() / 8 + 1024);
    serde_json::to_writer(&mut encoded, data).expect("a fragment is always JSON");
    encoded
}

/// partnersite: a fragment file's contents: JSON to gzip when written, or
/// already gzipped (`EncodedFragment`).
#[derive(Debug, Clone)]
pub enum Fragment {
    Json(String),
    Gzipped(Vec<u8>),
}

impl Fragment {
    /// The fragment's JSON (for fragments bundled into groups).
    pub fn json(&self) -> String {
        match self {
            Fragment::Json(json) => json.clone(),
            Fragment::Gzipped(bytes) => {
                use std::io::Read;
                let mut plain = String::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_string(&mut plain)
                    .expect("a fragment gzipped here");
                plain
                    .strip_prefix("pagefind_dcd")
                    .expect("every gzipped file starts so")
                    .to_string()
            }
        }
    }
}
