FROM eclipse-temurin:17 AS build
WORKDIR /app
COPY . .
RUN ./mvnw -B package

FROM gcr.io/distroless/java17-debian13:nonroot
WORKDIR /app
COPY --from=build /app/target/service.jar /app/target/service.jar
CMD ["/app/target/service.jar"]
