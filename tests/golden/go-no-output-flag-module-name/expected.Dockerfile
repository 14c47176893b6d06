FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY . .
RUN go build

FROM gcr.io/distroless/static-debian12
WORKDIR /go/src/app
COPY --from=build /go/src/app/hello /go/src/app/hello
CMD ["/go/src/app/hello"]
