FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go install ./cmd/migrate

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build /go/bin/migrate /usr/local/bin/migrate
ENTRYPOINT ["migrate"]
CMD ["up"]
