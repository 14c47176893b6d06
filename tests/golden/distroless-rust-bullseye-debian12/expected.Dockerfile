FROM rust:1.56.1-slim-bullseye AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /app/target/release/app /app/target/release/app
CMD ["/app/target/release/app"]
