//! Front matter: splitting a page into its metadata block and markdown body,
//! and parsing the block (TOML between `+++`, YAML between `---`) into
//! `FrontMatter`, with every key of DESIGN.md §2 and nothing else.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::diagnostic::Code;
use crate::source::{key_before, key_span};
use crate::values::Tier;
use crate::values::date::{DateText, parse_date};
use crate::values::path::alias_path;
use crate::values::slug::check_slug;

/// The front matter format, told by the fence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A page file cut in two: where the metadata is and where the body starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    /// The metadata text, without fences.
    pub meta: &'a str,
    /// Byte offset of `meta` in the file.
    pub meta_offset: usize,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// A front-matter problem: a message and a byte range of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub span: Range<usize>,
    pub message: String,
}

impl Problem {
    fn new(code: Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            code,
            span,
            message: message.into(),
        }
    }
}

/// Splits `source` (a whole page file, BOM already removed) at its fences.
pub fn split(source: &str) -> Result<Split<'_>, Problem> {
    let (format, fence) = if source.starts_with("+++") {
        (Format::Toml, "+++")
    } else if source.starts_with("---") {
        (Format::Yaml, "---")
    } else {
        return Err(Problem::new(
            Code::NoFrontMatter,
            0..0,
            "missing front matter: start the file with a `+++` (TOML) or `---` (YAML) block holding at least `title`",
        ));
    };
    let first_end = source.find('\n').map_or(source.len(), |i| i + 1);
    if source[..first_end].trim_end() != fence {
        return Err(Problem::new(
            Code::FenceNotAlone,
            0..first_end,
            format!("the opening `{fence}` must be alone on its line"),
        ));
    }
    let mut offset = first_end;
    for line in source[first_end..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Ok(Split {
                format,
                meta: &source[first_end..offset],
                meta_offset: first_end,
                body: &source[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Problem::new(
        Code::FrontMatterNotClosed,
        0..fence.len(),
        format!("front matter is not closed: add a line with `{fence}` after it"),
    ))
}

/// Front matter as written by the author, every key optional at this stage.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<DateText>,
    pub updated: Option<DateText>,
    pub review_by: Option<DateText>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub track: Option<String>,
    pub audience: Option<String>,
    #[serde(default)]
    pub tiers: Vec<i64>,
    #[serde(default)]
    pub cobrand: bool,
    /// Name the page to partners of the tiers below its `tiers`.
    #[serde(default)]
    pub teaser: bool,
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub paginate_by: Option<i64>,
    #[serde(default)]
    pub generate_feed: bool,
    pub publish: Option<DateText>,
    pub expires: Option<DateText>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Who a page is for (its `audience` key, DESIGN.md §5); the isolation
/// module decides what that means for each view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum PageAudience {
    Public,
    Partners,
    Internal,
}

/// A certification track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    Technical,
    Sales,
    Marketing,
}

impl Track {
    pub fn name(self) -> &'static str {
        match self {
            Track::Technical => "technical",
            Track::Sales => "sales",
            Track::Marketing => "marketing",
        }
    }
}

/// Validated front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub review_by: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    pub track: Option<Track>,
    pub audience: PageAudience,
    pub tiers: Vec<Tier>,
    pub cobrand: bool,
    /// Its title may be shown to partners whose tier does not see it, as
    /// something the next tier unlocks.
    pub teaser: bool,
    pub template: Option<String>,
    /// Old URL paths that redirect here, each `/a/b/` or `/a/b.html`.
    pub aliases: Vec<String>,
    /// Pages listed per page of a section (`None`: all on one).
    pub paginate_by: Option<usize>,
    /// A section's own Atom feed, `/<section>/atom.xml`.
    pub generate_feed: bool,
    /// Built from this day on (before it, as a draft).
    pub publish: Option<Date>,
    /// Built until the day before (from it on, as a draft).
    pub expires: Option<Date>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl FrontMatter {
    /// Front matter with only a title (a section folder without `_index.md`).
    pub fn titled(title: String) -> FrontMatter {
        FrontMatter {
            title,
            description: String::new(),
            date: None,
            updated: None,
            review_by: None,
            draft: false,
            weight: None,
            slug: None,
            tags: Vec::new(),
            track: None,
            audience: PageAudience::Partners,
            tiers: Vec::new(),
            cobrand: false,
            teaser: false,
            template: None,
            aliases: Vec::new(),
            paginate_by: None,
            generate_feed: false,
            publish: None,
            expires: None,
            extra: Default::default(),
        }
    }
}

/// Parses and validates the metadata of a split page. Spans in problems are
/// relative to the whole file.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, Vec<Problem>> {
    let raw = parse_raw(split).map_err(|p| vec![p])?;
    validate(raw, split)
}

fn parse_raw(split: &Split<'_>) -> Result<RawFrontMatter, Problem> {
    let shift = |r: Range<usize>| split.meta_offset + r.start..split.meta_offset + r.end;
    match split.format {
        Format::Toml => toml::from_str(split.meta).map_err(|e| {
            let (code, message) = friendly(e.message());
            // Name the key: "invalid type: string, expected i64" does not.
            let key = e.span().and_then(|s| key_before(split.meta, s.start));
            let message = match key {
                Some(key) if !message.contains(&format!("`{key}`")) => {
                    format!("`{key}`: {message}")
                }
                _ => message,
            };
            let span = e.span().map_or(0..0, shift);
            Problem::new(code, span, message)
        }),
        Format::Yaml => {
            if split.meta.trim().is_empty() {
                return Ok(RawFrontMatter::default());
            }
            // The YAML scanner takes time quadratic in the nesting of `[`
            // and `{` (minutes for 100,000 levels); serde would refuse
            // more than 128 levels anyway, so refuse deep nesting first.
            if let Some(at) = crate::source::nested_deeper_than(split.meta, MAX_YAML_NESTING) {
                return Err(Problem::new(
                    Code::FrontMatterTooDeep,
                    shift(at..at + 1),
                    format!(
                        "front matter nests `[` or `{{` more than {MAX_YAML_NESTING} levels deep: flatten it"
                    ),
                ));
            }
            serde_yaml_ng::from_str(split.meta).map_err(|e| {
                let span = e
                    .location()
                    .map_or(0..0, |l| shift(l.index()..l.index() + 1));
                let message = e.to_string();
                // serde_yaml appends " at line N column M"; we locate it ourselves.
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                let (code, message) = friendly(&message);
                Problem::new(code, span, message)
            })
        }
    }
}

/// The deepest nesting of YAML flow collections checked before parsing.
const MAX_YAML_NESTING: usize = 1000;

/// Rewords serde's messages for authors, with their code.
fn friendly(message: &str) -> (Code, String) {
    let message = message.trim();
    if message == "repetition limit exceeded" {
        let text = "YAML aliases (`*name`) expand to too much: write the values out instead";
        return (Code::YamlAliases, text.to_string());
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches(" one of").trim();
        let text = format!(
            "unknown front-matter key {field}; known keys are {expected}",
            field = field.trim_end_matches(','),
        );
        return (Code::UnknownFrontMatterKey, text);
    }
    (Code::FrontMatterSyntax, message.to_string())
}

fn validate(raw: RawFrontMatter, split: &Split<'_>) -> Result<FrontMatter, Vec<Problem>> {
    let mut c = Checker {
        split,
        problems: Vec::new(),
    };
    let date = c.date("date", raw.date);
    let updated = c.date("updated", raw.updated);
    let review_by = c.date("review_by", raw.review_by);
    let publish = c.date("publish", raw.publish);
    let expires = c.date("expires", raw.expires);
    if let (Some(p), Some(e)) = (publish, expires)
        && e <= p
    {
        c.problem(
            Code::ExpiresBeforePublish,
            "expires",
            format!("`expires` ({e}) is not after `publish` ({p}): the page would never be built"),
        );
    }
    let aliases = c.aliases(&raw.aliases);
    let paginate_by = match raw.paginate_by {
        Some(n) if n < 1 => {
            let message = format!(
                "`paginate_by` is how many pages each page of the list shows: at least 1, not {n}"
            );
            c.problem(Code::BadPaginateBy, "paginate_by", message);
            None
        }
        n => n.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let title = match raw.title {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            let fence = split.meta_offset.saturating_sub(4)..split.meta_offset.saturating_sub(1);
            let message = "missing `title`: every page needs a title in its front matter";
            c.problems
                .push(Problem::new(Code::MissingTitle, fence, message));
            String::new()
        }
    };
    if let Some(Err(m)) = raw.slug.as_deref().map(check_slug) {
        c.problem(Code::BadSlug, "slug", format!("`slug` {m}"));
    }
    let track = raw.track.as_deref().and_then(|t| c.track(t));
    let audience = raw
        .audience
        .as_deref()
        .map_or(PageAudience::Partners, |a| c.audience(a));
    let tiers = c.tiers(raw.tiers);
    c.tags(&raw.tags);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(FrontMatter {
        title,
        description: raw.description.unwrap_or_default(),
        date,
        updated,
        review_by,
        draft: raw.draft,
        weight: raw.weight,
        slug: raw.slug,
        tags: raw.tags,
        track,
        audience,
        tiers,
        cobrand: raw.cobrand,
        teaser: raw.teaser,
        template: raw.template,
        aliases,
        paginate_by,
        generate_feed: raw.generate_feed,
        publish,
        expires,
        extra: raw.extra,
    })
}

/// Checks the values of one front matter, each problem at its key.
struct Checker<'s> {
    split: &'s Split<'s>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// A problem at the line of `key` (or the opening fence, if no line
    /// sets it).
    fn problem(&mut self, code: Code, key: &str, message: String) {
        let span = key_span(self.split.meta, key);
        let span = if span == (0..0) {
            0..3
        } else {
            self.split.meta_offset + span.start..self.split.meta_offset + span.end
        };
        self.problems.push(Problem::new(code, span, message));
    }

    fn date(&mut self, key: &str, value: Option<DateText>) -> Option<Date> {
        let text = value?;
        let date = parse_date(&text.0);
        if date.is_none() {
            let message = format!(
                "`{key}` is not a date: write YYYY-MM-DD (or RFC 3339), not `{}`",
                text.0
            );
            self.problem(Code::BadDate, key, message);
        }
        date
    }

    fn track(&mut self, name: &str) -> Option<Track> {
        match name {
            "technical" => Some(Track::Technical),
            "sales" => Some(Track::Sales),
            "marketing" => Some(Track::Marketing),
            other => {
                let message = format!("unknown track `{other}`: use technical, sales or marketing");
                self.problem(Code::UnknownTrack, "track", message);
                None
            }
        }
    }

    fn audience(&mut self, name: &str) -> PageAudience {
        match name {
            "partners" => PageAudience::Partners,
            "public" => PageAudience::Public,
            "internal" => PageAudience::Internal,
            other => {
                let message =
                    format!("unknown audience `{other}`: use public, partners or internal");
                self.problem(Code::UnknownPageAudience, "audience", message);
                PageAudience::Partners
            }
        }
    }

    /// The tiers, sorted, without repeats.
    fn tiers(&mut self, raw: Vec<i64>) -> Vec<Tier> {
        let mut tiers = Vec::new();
        for tier in raw {
            match Tier::new(tier) {
                Some(t) => tiers.push(t),
                None => self.problem(
                    Code::UnknownTier,
                    "tiers",
                    format!("tier {tier} does not exist: tiers are 1, 2 and 3"),
                ),
            }
        }
        tiers.sort_unstable();
        tiers.dedup();
        tiers
    }

    /// The aliases as URL paths (`old/url` → `/old/url/`), each checked to
    /// stay a path of the site.
    fn aliases(&mut self, aliases: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for alias in aliases {
            match alias_path(alias) {
                Ok(path) => out.push(path),
                Err(why) => {
                    self.problem(Code::BadAlias, "aliases", format!("alias `{alias}` {why}"))
                }
            }
        }
        out
    }

    fn tags(&mut self, tags: &[String]) {
        for tag in tags {
            if slug::slugify(tag).is_empty() {
                let message = format!("tag `{tag}` has no letters or digits to make a URL from");
                self.problem(Code::BadTag, "tags", message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(src: &str) -> Result<FrontMatter, Vec<Problem>> {
        parse(&split(src).map_err(|p| vec![p])?)
    }

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"A\"\n+++\nbody\n").unwrap();
        assert_eq!(
            (s.format, s.meta, s.body),
            (Format::Toml, "title = \"A\"\n", "body\n")
        );
        assert_eq!(s.body_offset, 20);
        let s = split("---\ntitle: A\n---\r\nbody").unwrap();
        assert_eq!((s.format, s.body), (Format::Yaml, "body"));
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_a_problem() {
        assert!(
            split("# hello")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            split("+++\ntitle = 1\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
    }

    #[test]
    fn every_key_parses_in_toml() {
        let f = fm("+++\ntitle = \"T\"\ndescription = \"D\"\ndate = 2026-05-01\nupdated = \"2026-06-01T10:00:00Z\"\nreview_by = 2027-01-01\ndraft = true\nweight = 3\nslug = \"a-b\"\ntags = [\"x\"]\ntrack = \"sales\"\naudience = \"public\"\ntiers = [2, 1]\ncobrand = true\ntemplate = \"kit.html\"\n[extra]\nicon = \"cup\"\n+++\n").unwrap();
        assert_eq!(f.title, "T");
        assert_eq!(f.date.unwrap().to_string(), "2026-05-01");
        assert_eq!(f.updated.unwrap().to_string(), "2026-06-01");
        assert_eq!(f.tiers, vec![Tier::ALL[0], Tier::ALL[1]]);
        assert_eq!(f.track, Some(Track::Sales));
        assert_eq!(f.audience, PageAudience::Public);
        assert!(f.draft && f.cobrand);
        assert_eq!(f.extra["icon"], "cup");
    }

    #[test]
    fn every_key_parses_in_yaml() {
        let f = fm("---\ntitle: T\ndate: 2026-05-01\ntags: [a, b]\ntiers: [3]\ntrack: marketing\nextra:\n  x: 1\n---\n").unwrap();
        assert_eq!(f.date.unwrap().to_string(), "2026-05-01");
        assert_eq!(f.tags, vec!["a", "b"]);
        assert_eq!(f.audience, PageAudience::Partners);
    }

    #[test]
    fn unknown_key_names_the_key_and_its_line() {
        let src = "+++\ntitle = \"T\"\ntitel = \"x\"\n+++\n";
        let p = &fm(src).unwrap_err()[0];
        assert!(p.message.contains("`titel`"), "{}", p.message);
        assert_eq!(&src[p.span.clone()], "titel");
        let src = "---\ntitle: T\ntagz: [a]\n---\n";
        let p = &fm(src).unwrap_err()[0];
        assert!(p.message.contains("tagz"), "{}", p.message);
        assert!(src[p.span.start..].starts_with("tagz"), "{:?}", p.span);
    }

    #[test]
    fn invalid_values_are_all_reported() {
        let src = "+++\ntitle = \"T\"\nslug = \"Bad Slug\"\ntrack = \"ops\"\naudience = \"all\"\ntiers = [4]\ndate = \"May 1\"\n+++\n";
        let problems = fm(src).unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("try `bad-slug`"))
        );
    }

    #[test]
    fn authoring_keys_parse_and_are_checked() {
        let f = fm("+++\ntitle = \"T\"\naliases = [\"old/url\", \"/a.html\"]\npaginate_by = 2\ngenerate_feed = true\npublish = 2026-01-01\nexpires = 2026-02-01\n+++\n").unwrap();
        assert_eq!(f.aliases, ["/old/url/", "/a.html"]);
        assert_eq!(f.paginate_by, Some(2));
        assert!(f.generate_feed);
        assert_eq!(f.expires.unwrap().to_string(), "2026-02-01");
        for bad in [
            "aliases = [\"../x/\"]",
            "aliases = [\"https://x.example/\"]",
            "aliases = [\"a b\"]",
            "aliases = [\"/\"]",
            "paginate_by = 0",
            "publish = 2026-02-01\nexpires = 2026-01-01",
        ] {
            let p = fm(&format!("+++\ntitle = \"T\"\n{bad}\n+++\n")).unwrap_err();
            assert_eq!(p.len(), 1, "{bad}: {p:?}");
        }
    }

    #[test]
    fn title_is_required() {
        let p = fm("+++\ndescription = \"x\"\n+++\n").unwrap_err();
        assert!(p[0].message.contains("missing `title`"));
    }
}
