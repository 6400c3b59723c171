//! Images the site names as logos: what kind of image a file is, told by
//! its content (never its name), and SVG rewritten so that it can carry
//! nothing but a picture.
//!
//! A logo is copied into outputs that partners and the public read, so a
//! file that is not an image (a partner's data file named as a logo) is
//! refused, and an SVG is rewritten from a list of known-harmless elements
//! and attributes: no scripts, event handlers, foreign objects, animations,
//! external references or style that loads anything.

use crate::values::escape::xml;

/// The kinds of image a logo may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Svg,
    Png,
    Jpeg,
    Webp,
    Gif,
}

/// The kind of image `bytes` hold, if they are one.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageKind::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some(ImageKind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(ImageKind::Gif);
    }
    if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageKind::Webp);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let doc = roxmltree::Document::parse(text.trim_start_matches('\u{feff}')).ok()?;
    (doc.root_element().tag_name().name() == "svg").then_some(ImageKind::Svg)
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// Elements an SVG logo may keep: shapes, text, structure, paint servers,
/// clipping, masking and filters. Anything else (`script`,
/// `foreignObject`, `animate`, `set`, `a`, `iframe`, …) is dropped with
/// everything inside it.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "image",
    "style",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "feFuncR",
    "feFuncG",
    "feFuncB",
    "feFuncA",
    "feDropShadow",
];

/// `svg` rewritten from its known-harmless parts, or why it is not an SVG.
pub fn clean_svg(svg: &str) -> Result<String, String> {
    let doc = roxmltree::Document::parse(svg.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("is not a readable SVG ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err("is not an SVG image: its root element is not <svg>".into());
    }
    let mut out = String::with_capacity(svg.len());
    write_element(root, &mut out, true);
    out.push('\n');
    Ok(out)
}

fn write_element(node: roxmltree::Node<'_, '_>, out: &mut String, root: bool) {
    let name = node.tag_name().name();
    let ns = node.tag_name().namespace();
    if !(ns.is_none() || ns == Some(SVG_NS)) || !ELEMENTS.contains(&name) {
        return;
    }
    out.push('<');
    out.push_str(name);
    if root {
        out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
        out.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    }
    for a in node.attributes() {
        if let Some(attr) = attribute(a.namespace(), a.name(), a.value()) {
            out.push_str(&attr);
        }
    }
    out.push('>');
    for child in node.children() {
        if child.is_element() {
            write_element(child, out, false);
        } else if child.is_text() {
            let text = child.text().unwrap_or("");
            if name == "style" && !safe_style(text) {
                continue;
            }
            out.push_str(&xml(text));
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The attribute as written, if a logo may keep it.
fn attribute(ns: Option<&str>, name: &str, value: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("on") {
        return None;
    }
    let written = match ns {
        None => name.to_string(),
        Some(XLINK_NS) if name == "href" => "xlink:href".to_string(),
        Some("http://www.w3.org/XML/1998/namespace") if name == "space" => "xml:space".to_string(),
        Some(_) => return None,
    };
    if name == "href" && !safe_reference(value) {
        return None;
    }
    if lower == "style" && !safe_style(value) {
        return None;
    }
    // Presentation attributes may point at a paint server: `url(#id)` only.
    if value.contains("url(") && !safe_style(value) {
        return None;
    }
    Some(format!(" {written}=\"{}\"", xml(value)))
}

/// A reference a logo may keep: one inside itself (`#id`) or an embedded
/// raster image.
fn safe_reference(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.starts_with('#')
        || ["png", "jpeg", "jpg", "gif", "webp"]
            .iter()
            .any(|k| v.starts_with(&format!("data:image/{k};")))
}

/// CSS that loads nothing: no `@import`, no `url()` but to `#id`, no
/// `expression()`, no escapes that could spell either.
fn safe_style(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") || lower.contains("expression") || lower.contains('\\') {
        return false;
    }
    lower.match_indices("url(").all(|(i, _)| {
        let inner = lower[i + 4..].trim_start_matches([' ', '"', '\'']);
        inner.starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(ImageKind::Png));
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some(ImageKind::Jpeg));
        assert_eq!(sniff(b"GIF89a..."), Some(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(ImageKind::Svg)
        );
        assert_eq!(sniff(b"name = \"Alpha\"\ntier = 1\n"), None);
        assert_eq!(sniff(b"<html><svg/></html>"), None);
    }

    #[test]
    fn scripts_handlers_and_external_references_are_removed() {
        let svg = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <a href="javascript:alert(3)"><rect width="1" height="1"/></a>
  <use xlink:href="https://evil.example/x.svg#a"/>
  <use href="#shape"/>
  <image href="http://evil.example/p.png"/>
  <set attributeName="href" to="javascript:alert(4)"/>
  <style>@import url(https://evil.example/a.css); .a { fill: url(#g) }</style>
  <rect id="shape" style="fill: url(https://evil.example/t)" width="5" height="5" fill="#0b5fff"/>
  <text x="1" y="9">Alpha &amp; Co</text>
</svg>"##;
        let clean = clean_svg(svg).unwrap();
        for gone in [
            "onload",
            "script",
            "alert",
            "foreignObject",
            "evil.example",
            "javascript",
            "<a",
            "<set",
            "@import",
        ] {
            assert!(!clean.contains(gone), "{gone} left in {clean}");
        }
        assert!(clean.contains("<use href=\"#shape\">"), "{clean}");
        assert!(clean.contains("fill=\"#0b5fff\""), "{clean}");
        assert!(clean.contains(">Alpha &amp; Co</text>"), "{clean}");
        assert!(sniff(clean.as_bytes()) == Some(ImageKind::Svg));
        assert_eq!(clean_svg(&clean).unwrap(), clean, "cleaning is stable");
    }

    #[test]
    fn something_else_is_not_an_svg() {
        assert!(clean_svg("title = 1").is_err());
        assert!(clean_svg("<html/>").is_err());
    }
}
