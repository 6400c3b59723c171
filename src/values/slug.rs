//! Slugs: the lowercase ASCII names that become URLs (`deal-registration`).

/// Checks that a slug holds only lowercase ASCII letters, digits and `-`;
/// the message says what is wrong and suggests a slug.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("is empty".to_string());
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{slug}` may only hold lowercase ASCII letters, digits and `-` (found `{bad}`); try `{}`",
            slug::slugify(slug)
        ));
    }
    Ok(())
}

/// A slug made from any text (`Deal Registration` → `deal-registration`),
/// remembered per thread: a site has a few dozen tags and 10,000 pages that
/// carry them.
pub fn slugify(name: &str) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SLUGS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    SLUGS.with(|slugs| {
        if let Some(slug) = slugs.borrow().get(name) {
            return slug.clone();
        }
        let slug = slug::slugify(name);
        let mut slugs = slugs.borrow_mut();
        if slugs.len() > 10_000 {
            slugs.clear();
        }
        slugs.insert(name.to_string(), slug.clone());
        slug
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert!(check_slug("deal-registration-2").is_ok());
        assert!(check_slug("Deal").is_err());
        assert!(check_slug("a_b").is_err());
        assert!(check_slug("").is_err());
        assert!(check_slug("../x").is_err());
        assert!(
            check_slug("Bad Slug")
                .unwrap_err()
                .contains("try `bad-slug`")
        );
    }

    #[test]
    fn slugify_makes_url_names() {
        assert_eq!(slugify("Deal Registration"), "deal-registration");
        assert_eq!(slugify("Deal Registration"), "deal-registration");
    }
}
