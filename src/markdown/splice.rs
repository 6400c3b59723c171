//! HTML fragments put back where their placeholders stand (see
//! `shortcode`): the events of a body with each placeholder replaced by
//! its fragment, raw. A paragraph that holds nothing but one placeholder
//! becomes the fragment alone, without `<p>`: a block of HTML.

use std::collections::VecDeque;
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::shortcode::{FRAGMENT_CLOSE, FRAGMENT_OPEN};

/// The events of `inner`, fragments spliced in.
pub(super) struct Spliced<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: Peekable<I>,
    fragments: &'a [String],
    queue: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Spliced<'a, I> {
    pub(super) fn new(inner: I, fragments: &'a [String]) -> Self {
        Spliced {
            inner: inner.peekable(),
            fragments,
            queue: VecDeque::new(),
        }
    }

    /// `text` cut at its placeholders: text and fragments, in order.
    fn split(&mut self, text: &str, range: &Range<usize>) {
        let mut rest = text;
        while let Some(open) = rest.find(FRAGMENT_OPEN) {
            let after = &rest[open + FRAGMENT_OPEN.len_utf8()..];
            let fragment = after.find(FRAGMENT_CLOSE).and_then(|close| {
                let i: usize = after[..close].parse().ok()?;
                Some((self.fragments.get(i)?, close))
            });
            let Some((html, close)) = fragment else {
                // Not a placeholder (placeholders are made, never written).
                let keep = open + FRAGMENT_OPEN.len_utf8();
                self.text(&rest[..keep], range);
                rest = &rest[keep..];
                continue;
            };
            self.text(&rest[..open], range);
            let html: &'a str = html;
            self.queue
                .push_back((Event::InlineHtml(CowStr::Borrowed(html)), range.clone()));
            rest = &after[close + FRAGMENT_CLOSE.len_utf8()..];
        }
        self.text(rest, range);
    }

    fn text(&mut self, text: &str, range: &Range<usize>) {
        if !text.is_empty() {
            let text = CowStr::from(text.to_string());
            self.queue.push_back((Event::Text(text), range.clone()));
        }
    }

    /// Raw HTML of the body with the fragments of its placeholders in it.
    fn html(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(open) = rest.find(FRAGMENT_OPEN) {
            out.push_str(&rest[..open]);
            let after = &rest[open + FRAGMENT_OPEN.len_utf8()..];
            let found = after.find(FRAGMENT_CLOSE).and_then(|close| {
                let i: usize = after[..close].parse().ok()?;
                Some((self.fragments.get(i)?, close))
            });
            match found {
                Some((fragment, close)) => {
                    out.push_str(fragment);
                    rest = &after[close + FRAGMENT_CLOSE.len_utf8()..];
                }
                None => {
                    out.push(FRAGMENT_OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Spliced<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(queued) = self.queue.pop_front() {
            return Some(queued);
        }
        let (event, range) = self.inner.next()?;
        if self.fragments.is_empty() {
            return Some((event, range));
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                let fragments = self.fragments;
                let whole = match self.inner.peek() {
                    Some((Event::Text(t), _)) => whole(fragments, t),
                    _ => None,
                };
                let Some(html) = whole else {
                    return Some((Event::Start(Tag::Paragraph), range));
                };
                let (text, text_range) = self.inner.next().expect("peeked");
                if matches!(self.inner.peek(), Some((Event::End(TagEnd::Paragraph), _))) {
                    self.inner.next();
                    return Some((Event::Html(CowStr::Borrowed(html)), range));
                }
                if let Event::Text(t) = text {
                    self.split(&t, &text_range);
                }
                Some((Event::Start(Tag::Paragraph), range))
            }
            Event::Text(t) if t.contains(FRAGMENT_OPEN) => {
                self.split(&t, &range);
                self.next()
            }
            Event::Html(h) if h.contains(FRAGMENT_OPEN) => {
                Some((Event::Html(self.html(&h).into()), range))
            }
            Event::InlineHtml(h) if h.contains(FRAGMENT_OPEN) => {
                Some((Event::InlineHtml(self.html(&h).into()), range))
            }
            event => Some((event, range)),
        }
    }
}

/// The fragment `text` is, if it is one placeholder and nothing else.
fn whole<'a>(fragments: &'a [String], text: &str) -> Option<&'a str> {
    let inner = text
        .trim()
        .strip_prefix(FRAGMENT_OPEN)?
        .strip_suffix(FRAGMENT_CLOSE)?;
    let i: usize = inner.parse().ok()?;
    fragments.get(i).map(String::as_str)
}
