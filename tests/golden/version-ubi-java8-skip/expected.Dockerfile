FROM eclipse-temurin:8-jdk
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
