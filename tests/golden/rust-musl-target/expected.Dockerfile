FROM rust:1.80 AS build
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/target/x86_64-unknown-linux-musl/release/ferris /app/target/x86_64-unknown-linux-musl/release/ferris
ENTRYPOINT ["/app/target/x86_64-unknown-linux-musl/release/ferris"]
