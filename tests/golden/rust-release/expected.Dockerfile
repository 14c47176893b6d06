FROM rust:1.80-bookworm AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/target/release/ferris /usr/src/app/target/release/ferris
EXPOSE 3000
CMD ["./target/release/ferris"]
