FROM rust:1.80-bookworm AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /app/target/release/ferris /app/target/release/ferris
USER 1000
CMD ["/app/target/release/ferris"]
