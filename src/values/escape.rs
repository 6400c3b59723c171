//! The one escaping module: text made safe for HTML content, HTML
//! attributes, XML (feeds, sitemaps, SVG) and markdown source.
//!
//! Everything that comes from data (partner files, front matter, config)
//! passes through one of these before it lands in an output.

/// Escapes text for HTML element content.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a double- or single-quoted HTML attribute.
pub fn html_attr(s: &str) -> String {
    html_text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

/// Escapes text for XML content and attributes; control characters that
/// XML 1.0 forbids are dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// `s` as literal text wherever it lands in markdown (text, a table cell,
/// raw HTML): the characters of HTML and of markdown syntax become numeric
/// character references, which markdown shows as they are and never parses.
pub fn markdown_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '<' | '>' | '"' | '\'' | '[' | ']' | '(' | ')' | '*' | '_' | '`' | '\\' | '|'
            | '!' | '~' | '{' | '}' | '#' => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(html_text("a<b>&"), "a&lt;b&gt;&amp;");
        assert_eq!(html_attr("\"'<"), "&quot;&#39;&lt;");
    }

    #[test]
    fn xml_escape_handles_markup_and_controls() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn markdown_literals_are_never_syntax() {
        assert_eq!(markdown_literal("[x](y)"), "&#91;x&#93;&#40;y&#41;");
        assert_eq!(markdown_literal("Nova Labs"), "Nova Labs");
    }
}
