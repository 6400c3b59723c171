//! The stable code of every diagnostic partnersite can give, with its
//! severity (the letter: `E` error, `W` warning) and what it means. Codes
//! never change meaning (`tests/codes.rs` holds the registry); each one is
//! explained, with an example and the fix, in docs/errors.md. A new kind of
//! problem gets a new code.

/// Defines `Code` and its table in one place.
macro_rules! codes {
    ($($name:ident = $id:literal, $title:literal;)*) => {
        /// The kind of a diagnostic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($name,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// `E0107`, `W0301`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$name => $id,)*
                }
            }

            /// What the code means, in a few words.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$name => $title,)*
                }
            }
        }
    };
}

codes! {
    UnknownPartner = "E0001", "unknown partner in --audience";
    ShardWithoutPartners = "E0002", "--shard without --audience partners";
    BadSourceDateEpoch = "E0003", "a SOURCE_DATE_EPOCH that is not a time";

    NoFrontMatter = "E0101", "missing front matter";
    FenceNotAlone = "E0102", "opening fence not alone on its line";
    FrontMatterNotClosed = "E0103", "front matter not closed";
    FrontMatterSyntax = "E0104", "front matter that does not parse";
    FrontMatterTooDeep = "E0105", "front matter nested too deep";
    YamlAliases = "E0106", "YAML aliases that expand to too much";
    UnknownFrontMatterKey = "E0107", "unknown front-matter key";
    MissingTitle = "E0108", "missing title";
    BadDate = "E0109", "not a date";
    BadSlug = "E0110", "not a slug";
    UnknownTrack = "E0111", "unknown track";
    UnknownPageAudience = "E0112", "unknown audience of a page";
    UnknownTier = "E0113", "unknown tier";
    BadTag = "E0114", "tag without letters or digits";
    ExpiresBeforePublish = "E0115", "expires not after publish";
    BadPaginateBy = "E0116", "a paginate_by that is not at least 1";
    BadAlias = "E0117", "an alias that is not a path of the site";
    SectionOnlyKey = "E0118", "a section's key in a page's front matter";

    CannotRead = "E0201", "a file that cannot be read";
    NotUtf8 = "E0202", "a file that is not UTF-8";
    NoContentFolder = "E0203", "no content folder";
    SectionAndBundle = "E0204", "a folder that is both a section and a page bundle";
    BadFolderName = "E0205", "a section folder name that is not a slug";
    NoSlugInName = "E0206", "a file name with nothing to make a URL from";
    PageTooLarge = "E0207", "a page over the size limit";
    SameUrl = "E0208", "two documents with one URL";
    GeneratedUrl = "E0209", "a page where a generated file goes";
    ReplacesGenerated = "E0210", "a copied file that would replace a generated one";
    FileInTheWay = "E0211", "a file in the way of a folder";
    CaseCollision = "E0212", "URLs that differ only in letter case";
    AliasClash = "E0213", "an alias that is another page's, or replaces a file";

    CannotReadConfig = "E0301", "no readable site.toml";
    ConfigSyntax = "E0302", "site.toml that does not parse, or an unknown or missing key";
    BadBaseUrl = "E0303", "a base URL that is not safe";
    BadThemeName = "E0304", "a theme name that is not a folder name";
    ThemeNotFound = "E0305", "a theme that does not exist";
    BadLogo = "E0306", "a site logo that is not an image inside data/ or static/";

    BrokenLink = "E0401", "a broken internal link";
    UnsafeLink = "E0402", "a link or image with an unsafe scheme";

    TemplateSyntax = "E0501", "a template that does not parse";
    TemplateRender = "E0502", "a template that fails to render";
    TemplateMissing = "E0503", "a template that does not exist";
    TemplateCycle = "E0504", "a template or macro that would render forever";
    TemplateOutside = "E0505", "a template reading outside the site";
    TemplateLimit = "E0506", "a template over a limit (range, steps, recursion, output)";
    TemplateNotUtf8 = "E0507", "a template that is not UTF-8";
    CobrandPage = "E0508", "a co-branded page whose Tera fails";

    DataSyntax = "E0601", "a data file that does not parse, or a value of the wrong type";
    UnknownDataKey = "E0602", "an unknown key in a data file";
    MissingDataKey = "E0603", "a missing key in a data file";
    DuplicateDataKey = "E0604", "a key given twice in a data file";
    BadPartnerSlug = "E0605", "a partner file name that is not a slug";
    UnknownPartnerTier = "E0606", "a partner tier that does not exist";
    BadDataDate = "E0607", "a date in a data file that is not a date";
    LeftBeforeJoined = "E0608", "left before joined";
    UnknownPhase = "E0609", "an unknown engagement phase";
    BadWebsite = "E0610", "a website that is not http(s)";
    BadPartnerLogo = "E0611", "a partner logo that is missing, not an image, or behind a link";
    BadColour = "E0612", "a brand colour that is not a hex colour";
    BadQuarter = "E0613", "a quarter that is malformed or given twice";
    NegativeCount = "E0614", "a negative count";
    BadAmount = "E0615", "an amount that is negative or too large";
    BadScore = "E0616", "a score outside 0-10";
    BadRate = "E0617", "a rate outside 0-1";
    PartOverWhole = "E0618", "a part larger than its whole";
    UnsafeDataLink = "E0619", "an unsafe link in partner data";
    NoProgram = "E0620", "partner files without program.toml";
    BadProgramValue = "E0621", "a program.toml value out of range or malformed";

    ShortcodeSyntax = "E0701", "a shortcode call that does not parse";
    UnknownShortcode = "E0702", "an unknown shortcode";
    ShortcodeTemplate = "E0703", "a shortcode template that fails";
    ShortcodeArgument = "E0704", "a wrong argument of a theme shortcode";

    Leak = "E0801", "a leak: another partner or an internal page in an output";

    WriteFailed = "E0901", "the output could not be written";
    OutRefused = "E0902", "an output folder partnersite may not write";
    InTheWayOfOutput = "E0903", "a file partnersite did not write in the way of the output";
    CannotLock = "E0904", "the output's lock could not be taken";
    CommitUnfinished = "E0905", "an update stopped while committing, its journal kept";
    BadManifest = "E0906", "a manifest given to check --against that cannot be compared";

    CheckBrokenLink = "E1001", "a broken link in the rendered site";
    CheckBrokenAnchor = "E1002", "a link to an anchor that does not exist";
    CheckMissingImage = "E1003", "an image that does not exist";
    BrokenExternalLink = "E1004", "a broken external link";

    SearchIndex = "E1101", "the search index could not be built";

    SymbolicLink = "W0101", "a symbolic link, skipped";
    StalePage = "W0301", "a stale page";
    UnverifiedExternalLink = "W0302", "an external link that could not be verified";
    ExpiringPage = "W0303", "a page expiring within 14 days";
}

impl Code {
    /// Warnings start with `W`; everything else is an error.
    pub fn is_warning(self) -> bool {
        self.id().starts_with('W')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let id = c.id();
            assert!(seen.insert(id), "{id} twice");
            assert!(
                id.len() == 5 && (id.starts_with('E') || id.starts_with('W')),
                "{id}"
            );
            assert!(id[1..].bytes().all(|b| b.is_ascii_digit()), "{id}");
        }
    }
}
