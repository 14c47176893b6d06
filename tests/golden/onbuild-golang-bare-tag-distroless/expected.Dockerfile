# the newest golang onbuild image
FROM golang:1.9 AS build
ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY . /go/src/app
RUN GO111MODULE=off go get -v -d
RUN GO111MODULE=off go install -v

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /go/src/app
COPY --from=build /go/bin/app /usr/local/bin/app
EXPOSE 8080
CMD ["app"]
