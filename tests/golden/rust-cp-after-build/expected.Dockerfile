FROM rust:1.80 AS build
COPY service /opt/my/service
WORKDIR /opt/my/service
RUN rustc --version && \
	cargo build --release && \
	cp target/release/rust-service .

FROM gcr.io/distroless/cc-debian12
WORKDIR /opt/my/service
COPY --from=build /opt/my/service/rust-service /opt/my/service/rust-service
EXPOSE 1300
ENTRYPOINT ["/opt/my/service/rust-service"]
