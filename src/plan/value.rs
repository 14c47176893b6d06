//! Is the split worth it, and what does it save?
//!
//! A split pays off when the runtime image is smaller than the builder, or when build-only
//! software (compilers, headers, git, devDependencies) stays behind. The same image on both
//! sides with nothing build-only dropped saves only a package-manager cache, which
//! `--no-cache-dir` or a cache mount saves in one stage: no reviewer merges that, so it is
//! skipped. The estimate uses the image sizes of `mappings/images.toml` (approximate, the
//! compressed size of the vendor's amd64 image) plus the weight of dropped packages.

use crate::knowledge::Table;
use crate::outcome::{Code, Reason};

/// What the split leaves behind in the builder.
pub struct Dropped {
    /// OS packages (build-only class).
    pub packages: Vec<String>,
    /// Other build-only things (`devDependencies`).
    pub other: Vec<String>,
}

impl Dropped {
    fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.other.is_empty()
    }
}

/// Refuses a split that cannot shrink the image.
pub fn gate(builder: &str, runtime: &str, dropped: &Dropped) -> Result<(), Reason> {
    if same_image(builder, runtime) && dropped.is_empty() {
        return Err(Reason::new(
            Code::NoGain,
            format!(
                "the runtime would be {runtime}, the same image as the builder, and nothing build-only is dropped: the split would not shrink the image (clean the package manager's cache in the single stage instead)"
            ),
        ));
    }
    Ok(())
}

/// The same image by name and tag (Docker Hub short forms equal, digests ignored).
pub fn same_image(a: &str, b: &str) -> bool {
    a == b || image_key(a) == image_key(b)
}

/// An image reference as [`same_image`] compares it: `name:tag` (`latest` when untagged),
/// the text as written when it does not parse.
pub fn image_key(s: &str) -> String {
    crate::image::ImageRef::parse(s).map_or_else(|| s.to_string(), |r| format!("{}:{}", r.name(), r.tag.unwrap_or_else(|| "latest".into())))
}

/// Estimated saving in MB: on the same image, the weight of the dropped packages; else the
/// builder's size minus the runtime's (the dropped packages are not added: the large
/// builders, `golang`, `python:3.x`, `ruby:3.x`, already ship the toolchain they install).
/// None when a size is unknown. Each image comes with its size from the facts the caller
/// already has.
pub fn estimate(table: &Table, (builder, builder_mb): (&str, Option<u64>), (runtime, runtime_mb): (&str, Option<u64>), dropped: &Dropped) -> Option<u64> {
    if same_image(builder, runtime) {
        return Some(dropped.packages.iter().map(|p| table.package_weight(p)).sum());
    }
    Some(builder_mb?.saturating_sub(runtime_mb?))
}

/// The estimate in words, for `--explain` and the reports.
pub fn describe(mb: u64, builder: &str, runtime: &str, dropped: &Dropped) -> String {
    let mut s = format!("saves ≈ {mb} MB ({builder} → {runtime}");
    if !dropped.packages.is_empty() {
        s.push_str(&format!("; build-only packages left behind: {}", dropped.packages.join(", ")));
    }
    if !dropped.other.is_empty() {
        s.push_str(&format!("; also {}", dropped.other.join(", ")));
    }
    s.push(')');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_image_with_nothing_dropped_is_no_gain() {
        let none = Dropped { packages: vec![], other: vec![] };
        assert_eq!(gate("python:3.12-slim", "docker.io/library/python:3.12-slim", &none).unwrap_err().code, Code::NoGain);
        assert!(gate("python:3.12", "python:3.12-slim", &none).is_ok());
        assert!(gate("python:3.12-slim", "python:3.12-slim", &Dropped { packages: vec!["gcc".into()], other: vec![] }).is_ok());
        assert!(gate("node:20-slim", "node:20-slim", &Dropped { packages: vec![], other: vec!["devDependencies".into()] }).is_ok());
    }
}
