# restage's own image: the binary on a distroless runtime (glibc and libgcc, no shell),
# built from this repository. Run it on the folder you mount:
#   docker run --rm -v "$PWD:/work" ghcr.io/restage/restage --check .
# It follows restage's own rules: `restage --check Dockerfile` and
# `restage --to distroless --check Dockerfile` leave it as it is.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY mappings ./mappings
RUN cargo build --release --locked --bin restage

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/restage /usr/local/bin/restage
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/restage"]
