FROM golang:1.22 AS build
RUN go build -o /x .
FROM scratch
COPY --from=build /x /x
CMD ["/x"]
