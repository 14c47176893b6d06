FROM golang:1.22-bookworm AS build
ENV CGO_ENABLED=0
WORKDIR /srv
COPY . .
RUN go build -o /usr/local/bin/words ./cmd/server

FROM gcr.io/distroless/static-debian12
WORKDIR /srv
COPY --from=build /usr/local/bin/words /usr/local/bin/words
COPY --from=build /srv/data /srv/data
# The program opens data/words.txt relative to /srv.
CMD ["words"]
