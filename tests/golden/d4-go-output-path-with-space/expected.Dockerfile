FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o "/out dir/app" .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build ["/out dir/app", "/out dir/app"]
CMD ["/out dir/app"]
