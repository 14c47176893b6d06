# restage: ignore
FROM golang:1.22
RUN go build -o /x .
CMD ["/x"]
