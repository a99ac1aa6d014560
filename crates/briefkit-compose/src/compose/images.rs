//! The images the article shows, read through the world and checked.

use crate::link::{self, LinkTarget};
use crate::picture;
use briefkit_model::diagnostic::{Diagnostic, Span};
use briefkit_model::document::Image;
use briefkit_model::world::World;
use std::collections::BTreeMap;

/// Reads and checks every image the article shows, through the world (so
/// never from outside the pack): a missing, unreadable or undecodable
/// image is an error at the place the article names it.
pub(super) fn read_images(
    world: &dyn World,
    images: &[(Image, Span)],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (image, location) in images {
        if image.alt.trim().is_empty() {
            // A reader who cannot see the image learns nothing of it (what
            // each output can then claim, its backend says).
            diags.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!(
                        "image `{}` has no alt text: a reader who cannot see it learns nothing of it",
                        image.src
                    ),
                )
                .with_hint("describe the image between the brackets: ![what it shows](path)"),
            );
        }
        match link::classify(&image.src) {
            LinkTarget::Web => {
                diags.push(
                    Diagnostic::warning(
                        Some(location.clone()),
                        format!("image `{}` is on the web: briefkit does not fetch images, so no output will show it", image.src),
                    )
                    .with_hint("download it into the pack (for example images/) and link to that file"),
                );
                continue;
            }
            LinkTarget::File(_) => {}
            _ => {
                diags.push(
                    Diagnostic::error(
                        Some(location.clone()),
                        format!("image `{}` is not a file in the pack", link::shorten(&image.src)),
                    )
                    .with_hint("save the image into the pack (for example images/) and give its relative path"),
                );
                continue;
            }
        }
        if out.contains_key(&image.src) {
            continue;
        }
        let checked = world
            .read(&image.src)
            .map_err(|e| {
                Diagnostic::error(Some(location.clone()), format!("image `{}` {e}", image.src))
                    .with_hint(e.hint())
            })
            .and_then(|bytes| match picture::inspect(&bytes) {
                Ok(_) => Ok(bytes),
                Err(why) => Err(Diagnostic::error(
                    Some(location.clone()),
                    format!("image `{}` {why}", image.src),
                )
                .with_hint("briefkit embeds PNG and JPEG images: convert or download it again")),
            });
        match checked {
            Ok(bytes) => {
                out.insert(image.src.clone(), bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    out
}
