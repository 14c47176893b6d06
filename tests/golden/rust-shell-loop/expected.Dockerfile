FROM rust:1.80 AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /app/target/release/ferris /app/target/release/ferris
ENTRYPOINT while true; do ./target/release/ferris "0.0.0.0:8080"; done
