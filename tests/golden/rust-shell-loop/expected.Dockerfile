FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release
ENTRYPOINT while true; do ./target/release/ferris "0.0.0.0:8080"; done
