FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o /out/tool ./cmd/tool

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /out/tool /out/tool
ENTRYPOINT ["/out/tool"]
