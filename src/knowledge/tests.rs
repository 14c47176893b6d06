use super::*;
use crate::image::ImageRef;

fn pair(family: &str, image: &str) -> (String, String) {
    let t = Table::builtin();
    let r = t.lookup(family, &ImageRef::parse(image).unwrap(), None).unwrap_or_else(|e| panic!("{image}: {e}"));
    (r.builder, r.runtime)
}

fn s(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn upstream_pairs_keep_builder_and_derive_runtime() {
    assert_eq!(pair("upstream", "golang:1.22-bookworm"), s("golang:1.22-bookworm", "gcr.io/distroless/static-debian12"));
    assert_eq!(pair("upstream", "golang:1.24-trixie").1, "gcr.io/distroless/static-debian13");
    assert_eq!(pair("upstream", "rust:1.80-slim-bookworm").1, "gcr.io/distroless/cc-debian12");
    assert_eq!(pair("upstream", "eclipse-temurin:21-jdk-alpine").1, "eclipse-temurin:21-jre-alpine");
    assert_eq!(pair("upstream", "eclipse-temurin:17-jdk").1, "eclipse-temurin:17-jre");
    assert_eq!(pair("upstream", "maven:3.9-eclipse-temurin-21").1, "eclipse-temurin:21-jre");
    assert_eq!(pair("upstream", "gradle:8-jdk21").1, "eclipse-temurin:21-jre");
    assert_eq!(pair("upstream", "openjdk:11").1, "eclipse-temurin:11-jre");
    assert_eq!(pair("upstream", "amazoncorretto:21").1, "amazoncorretto:21-al2023-headless");
    assert_eq!(pair("upstream", "mcr.microsoft.com/dotnet/sdk:8.0").1, "mcr.microsoft.com/dotnet/aspnet:8.0");
    assert_eq!(pair("upstream", "mcr.microsoft.com/dotnet/sdk:8.0.100-alpine").1, "mcr.microsoft.com/dotnet/aspnet:8.0-alpine");
    assert_eq!(pair("upstream", "mcr.microsoft.com/dotnet/sdk:9.0-nanoserver-ltsc2022").1, "mcr.microsoft.com/dotnet/aspnet:9.0-nanoserver-ltsc2022");
    assert_eq!(pair("upstream", "node:22").1, "node:22-slim");
    assert_eq!(pair("upstream", "node:22-bookworm").1, "node:22-bookworm-slim");
    assert_eq!(pair("upstream", "node:22-alpine").1, "node:22-alpine");
    assert_eq!(pair("upstream", "node:lts").1, "node:lts-slim");
    assert_eq!(pair("upstream", "python:3.12-bookworm").1, "python:3.12-slim-bookworm");
    assert_eq!(pair("upstream", "python:3.12").1, "python:3.12-slim");
    assert_eq!(pair("upstream", "python:3.12-slim").1, "python:3.12-slim");
    assert_eq!(pair("upstream", "ruby:3.3").1, "ruby:3.3-slim");
}

#[test]
fn docker_hub_forms_and_registries() {
    for img in ["python:3.12", "library/python:3.12", "docker.io/library/python:3.12"] {
        assert_eq!(pair("upstream", img).1, "python:3.12-slim", "{img}");
    }
    let t = Table::builtin();
    let e = t.lookup("upstream", &ImageRef::parse("registry:5000/python:3.12").unwrap(), None).unwrap_err();
    assert!(e.contains("no upstream pair"), "{e}");
}

#[test]
fn minimus_keeps_precision_in_lockstep() {
    assert_eq!(pair("minimus", "python:3.13.5"), s("reg.mini.dev/python:3.13.5-dev", "reg.mini.dev/python:3.13.5"));
    assert_eq!(pair("minimus", "reg.mini.dev/python:3.13.5-dev"), s("reg.mini.dev/python:3.13.5-dev", "reg.mini.dev/python:3.13.5"));
    assert_eq!(pair("minimus", "node:22-bookworm"), s("reg.mini.dev/node:22-dev", "reg.mini.dev/node:22"));
    assert_eq!(pair("minimus", "eclipse-temurin:21-jdk"), s("reg.mini.dev/openjdk:21-dev", "reg.mini.dev/openjre:21"));
    assert_eq!(pair("minimus", "golang:1.23").1, "reg.mini.dev/static:latest");
    let t = Table::builtin();
    let r = t.lookup("minimus", &ImageRef::parse("python:3.12").unwrap(), Some("reg.mini.dev/acme")).unwrap();
    assert_eq!(r.runtime, "reg.mini.dev/acme/python:3.12");
}

#[test]
fn chainguard_dhi_ubi_distroless() {
    assert_eq!(pair("chainguard", "golang:1.22"), s("cgr.dev/chainguard/go:latest-dev", "cgr.dev/chainguard/static:latest"));
    assert_eq!(pair("chainguard", "cgr.dev/chainguard/python:latest-dev").1, "cgr.dev/chainguard/python:latest");
    assert_eq!(pair("dhi", "python:3.13-bookworm"), s("dhi.io/python:3.13-debian12-dev", "dhi.io/python:3.13-debian12"));
    assert_eq!(pair("dhi", "node:22-alpine3.22").1, "dhi.io/node:22-alpine3.22");
    assert_eq!(pair("dhi", "mcr.microsoft.com/dotnet/sdk:10.0"), s("dhi.io/dotnet:10.0-sdk", "dhi.io/aspnetcore:10.0"));
    assert_eq!(pair("ubi", "eclipse-temurin:21-jdk").1, "registry.access.redhat.com/ubi9/openjdk-21-runtime:latest");
    assert_eq!(pair("ubi", "registry.access.redhat.com/ubi9/openjdk-17:1.20").1, "registry.access.redhat.com/ubi9/openjdk-17-runtime:latest");
    assert_eq!(pair("distroless", "eclipse-temurin:21-jdk").1, "gcr.io/distroless/java21-debian13:nonroot");
    assert_eq!(pair("distroless", "node:22").1, "gcr.io/distroless/nodejs22-debian13:nonroot");
    let t = Table::builtin();
    let e = t.lookup("distroless", &ImageRef::parse("eclipse-temurin:11").unwrap(), None).unwrap_err();
    assert_eq!(e, "no distroless runtime for eclipse-temurin 11; distroless ships 17, 21, 25: --upgrade moves builder and runtime to 17");
    let up = t.lookup_with("distroless", &ImageRef::parse("eclipse-temurin:11-jdk").unwrap(), None, true).unwrap();
    assert_eq!((up.builder.as_str(), up.runtime.as_str()), ("eclipse-temurin:17-jdk", "gcr.io/distroless/java17-debian13:nonroot"), "both moved together");
    assert_eq!(up.version_notes.len(), 1);
    let e = t.lookup("dhi", &ImageRef::parse("python").unwrap(), None).unwrap_err();
    assert!(e.contains("no version"), "{e}");
}

#[test]
fn digests_stay_on_the_builder_only() {
    let t = Table::builtin();
    let src = ImageRef::parse("golang:1.22@sha256:0123").unwrap();
    let r = t.lookup("upstream", &src, None).unwrap();
    assert_eq!(r.builder, "golang:1.22@sha256:0123");
    assert!(!r.runtime.contains("sha256"));
    assert!(r.notes.iter().any(|n| n.contains("not pinned by digest")));
    let r = t.lookup("minimus", &src, None).unwrap();
    assert_eq!(r.builder, "reg.mini.dev/go:1.22-dev");
    assert!(r.notes.iter().any(|n| n.contains("no longer applies")));
}

#[test]
fn every_family_has_five_pairs() {
    let t = Table::builtin();
    for f in ["upstream", "distroless", "minimus", "chainguard", "dhi", "ubi"] {
        assert!(t.pairs_of(f).count() >= 5, "{f}");
    }
}

#[test]
fn overlay_and_validation_errors() {
    let mut t = Table::builtin();
    t.add(
        "corp.toml",
        "[[pair]]\nfamily = \"mycorp\"\necosystem = \"go\"\nmatch = \"golang\"\nbuilder = \"registry.corp.example:5000/go-build:{version}\"\nruntime = \"registry.corp.example:5000/static:latest\"\n",
    )
    .unwrap();
    assert_eq!(pair_in(&t, "mycorp", "golang:1.22-bookworm"), s("registry.corp.example:5000/go-build:1.22", "registry.corp.example:5000/static:latest"));
    let bad = |text: &str| Table::default().add("u.toml", text).unwrap_err();
    let e = bad("[[pair]]\nfamily = \"x\"\necosystem = \"go\"\nmatch = \"golang\"\nbuilder = \"a:{nope}\"\nruntime = \"b\"\n");
    assert_eq!((e.line, e.column), (5, 11), "{e}");
    assert!(e.message.contains("unknown placeholder {nope}"));
    let e = bad("[[pair]]\nfamily = \"x\"\nmatchh = \"golang\"\n");
    assert!(e.message.contains("unknown field"), "{e}");
    let e = bad("[[pair]]\nfamily = \"x\"\necosystem = \"go\"\nbuilder = \"a\"\nruntime = \"b\"\n");
    assert!(e.message.contains("missing field `match`"), "{e}");
    let dup = "[[pair]]\nfamily = \"x\"\necosystem = \"go\"\nmatch = \"golang\"\nbuilder = \"a\"\nruntime = \"b\"\n";
    let e = bad(&format!("{dup}{dup}"));
    assert_eq!(e.line, 10);
    assert!(e.message.contains("duplicate match"), "{e}");
}

fn pair_in(t: &Table, family: &str, image: &str) -> (String, String) {
    let r = t.lookup(family, &ImageRef::parse(image).unwrap(), None).unwrap();
    (r.builder, r.runtime)
}

#[test]
fn runtime_facts_merge_by_specificity() {
    let t = Table::builtin();
    let f = t.facts("gcr.io/distroless/java21-debian13:nonroot");
    assert!(!f.shell);
    assert_eq!(f.entrypoint.as_deref(), Some(&["java".to_string(), "-jar".to_string()][..]));
    assert_eq!(f.user.as_deref(), Some("65532"));
    assert!(t.facts("python:3.12-slim").shell);
    assert!(!t.facts("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled").shell);
    assert_eq!(t.facts("node:22-alpine").package_manager.as_deref(), Some("apk"));
}
