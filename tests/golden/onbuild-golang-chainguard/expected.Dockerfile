FROM cgr.dev/chainguard/go:latest-dev AS build
USER root
ENV GOPATH=/go
ENV CGO_ENABLED=0
WORKDIR /go/src/app
COPY . /go/src/app
RUN GO111MODULE=off go get -v -d
RUN GO111MODULE=off go install -v

FROM cgr.dev/chainguard/static:latest
WORKDIR /go/src/app
COPY --from=build /go/bin/app /usr/local/bin/app
CMD ["app"]
