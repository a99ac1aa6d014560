//! briefkit's integration tests: the command line and the library, end to
//! end, with the real validators and readers. One test binary, a module an
//! area (`cargo test -p briefkit-cli --test cli languages::` runs one).

mod accessibility;
mod bad_input;
mod batch;
mod charts;
mod check;
mod data;
mod docx;
mod end_to_end;
mod epub;
mod hostile;
mod images;
mod import;
mod languages;
mod look;
mod packs;
mod pdf;
mod properties;
mod serve;
mod verify;
