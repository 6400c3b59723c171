//! Front matter: `split` a page file at its fences, `parse` the block, and
//! print every problem as the build would (located in the whole file).
#![no_main]

use libfuzzer_sys::fuzz_target;
use partnersite::content::front_matter::{parse, split};
use partnersite::diagnostic::Diagnostic;

fuzz_target!(|source: &str| {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let problems = match split(source) {
        Err(p) => vec![p],
        Ok(s) => {
            assert!(s.body_offset <= source.len());
            assert_eq!(&source[s.body_offset..], s.body);
            assert_eq!(&source[s.meta_offset..s.meta_offset + s.meta.len()], s.meta);
            match parse(&s) {
                Ok(meta) => {
                    assert!(!meta.title.trim().is_empty());
                    Vec::new()
                }
                Err(p) => p,
            }
        }
    };
    for p in problems {
        let _ = Diagnostic::at(p.code, "content/fuzz.md", source, p.span, p.message).to_string();
    }
});
