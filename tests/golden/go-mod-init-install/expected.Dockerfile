FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY *.go .
RUN go mod init dispatch && go get
RUN go install

FROM gcr.io/distroless/static-debian12
WORKDIR /go/src/app
COPY --from=build /go/bin/dispatch /usr/local/bin/dispatch
CMD ["dispatch"]
