FROM rust:1.79 AS build
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .

FROM gcr.io/distroless/cc-debian12
WORKDIR /usr/src/app
COPY --from=build /usr/local/cargo/bin/ferris /usr/local/bin/ferris
CMD ["ferris"]
