FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o build/server ./cmd/server && mkdir -p /srv && mv build/server /srv/

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build /srv/server /srv/server
EXPOSE 8080
ENTRYPOINT ["/srv/server"]
