//! CLI cases as data (trycmd): `tests/cmd/*.trycmd` and `*.toml` (+ `.stdout`/`.stderr`),
//! run in `monorepo.in`, a small monorepo.
//! `TRYCMD=overwrite cargo test --test cmd` refreshes the expected output after a
//! deliberate change; review the diff like any other.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.trycmd").case("tests/cmd/*.toml");
}
