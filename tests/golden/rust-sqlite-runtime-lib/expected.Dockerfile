FROM rust:1.80-bookworm AS build
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y libsqlite3-dev
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12
WORKDIR /app
COPY --from=build /app/target/release/ferris /app/target/release/ferris
CMD ["./target/release/ferris"]
