FROM eclipse-temurin:21
WORKDIR /app
COPY . .
RUN ./mvnw -B dependency:go-offline
CMD ["./mvnw", "quarkus:dev", "-Dquarkus.http.host=0.0.0.0"]
