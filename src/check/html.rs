//! Just enough HTML reading for `check`: the `href`/`src` values and the
//! `id`s of a rendered page. Links written in markdown are collected while
//! rendering (`markdown::Rendered`); this reads what templates add.

use std::collections::HashSet;

/// A link attribute of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// `href` or `src`.
    pub name: String,
    /// The value, entities decoded.
    pub value: String,
}

/// What `check` needs from one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub links: Vec<Attr>,
    /// Every `id`, and the `name` of `<a>` elements (old-style anchors).
    pub ids: HashSet<String>,
}

/// Reads the tags of `html`, skipping comments and the insides of
/// `<script>` and `<style>`.
pub fn scan(html: &str) -> Scan {
    let mut out = Scan::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(end) = tag_end(rest) else { break };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        for (attr, value) in attributes(&tag[name.len()..]) {
            match attr.as_str() {
                "id" => {
                    out.ids.insert(value);
                }
                "name" if name == "a" => {
                    out.ids.insert(value);
                }
                "href" | "src" => out.links.push(Attr { name: attr, value }),
                _ => {}
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = find_ignore_case(rest, &close).map_or("", |i| &rest[i..]);
        }
    }
    out
}

/// The index of the `>` that closes the tag starting at `s[0]`, outside quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `name="value"` pairs of a tag's inside, names lowercased.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c == '/' {
            chars.next();
            continue;
        }
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() || c == '=' || c == '/' {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let name = s[start..end].to_ascii_lowercase();
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none_or(|&(_, c)| c != '=') {
            if end == start {
                chars.next();
            }
            continue;
        }
        chars.next();
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let value = match chars.peek().copied() {
            Some((i, q @ ('"' | '\''))) => {
                chars.next();
                let from = i + 1;
                let mut to = s.len();
                for (j, c) in chars.by_ref() {
                    if c == q {
                        to = j;
                        break;
                    }
                }
                &s[from..to]
            }
            Some((i, _)) => {
                let mut to = s.len();
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_whitespace() {
                        to = j;
                        break;
                    }
                    chars.next();
                }
                &s[i..to]
            }
            None => "",
        };
        out.push((name, decode_entities(value)));
    }
    out
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes the entities templates and markdown produce in attributes.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_links_and_ids_outside_comments_and_scripts() {
        let html = r#"<!doctype html><h2 id="intro">x</h2><!-- <a href="/no/"> -->
<a class=x href='/sales/?a=1&amp;b=2'>s</a><img alt="a > b" src=/logo.svg>
<script>var s = "<a href='/js/'>";</script><a name="old"></a><link rel="stylesheet" href="/css/site.css"/>"#;
        let s = scan(html);
        let values: Vec<&str> = s.links.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(values, ["/sales/?a=1&b=2", "/logo.svg", "/css/site.css"]);
        assert!(s.ids.contains("intro") && s.ids.contains("old"));
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x2F;&bogus;"),
            "a&b'c/&bogus;"
        );
    }
}
