//! Colours of partner brands: `#rgb` / `#rrggbb` hex, WCAG luminance and
//! contrast, and the text colour that reads best on a background.

/// `#rgb` or `#rrggbb`.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.03928 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of a `#rgb` / `#rrggbb` colour.
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    let full: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    let (r, g, b) = (byte(0)?, byte(2)?, byte(4)?);
    Some(0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b))
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// The text colour (near-black or white) with the higher contrast on `bg`.
pub fn text_on(bg: &str) -> &'static str {
    let dark = contrast(bg, "#1a1a1a").unwrap_or(0.0);
    let light = contrast(bg, "#ffffff").unwrap_or(0.0);
    if dark >= light { "#1a1a1a" } else { "#ffffff" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 1e-9);
        assert!((contrast("#777", "#fff").unwrap() - 4.48).abs() < 0.01);
    }

    #[test]
    fn text_on_light_and_dark_backgrounds() {
        assert_eq!(text_on("#f5e663"), "#1a1a1a");
        assert_eq!(text_on("#101820"), "#ffffff");
        assert_eq!(text_on("#0b5fff"), "#ffffff");
    }

    #[test]
    fn hex_colours_only() {
        assert!(is_hex_colour("#0b5fff") && is_hex_colour("#fff"));
        assert!(!is_hex_colour("red") && !is_hex_colour("#12345") && !is_hex_colour("#ggg"));
    }
}
