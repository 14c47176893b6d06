FROM rust:1.80-slim-bookworm AS build
WORKDIR /app
COPY . .
RUN cargo build --release --bin api

FROM gcr.io/distroless/cc-debian12
WORKDIR /app
COPY --from=build /app/target/release/api /app/target/release/api
CMD ["/app/target/release/api"]
