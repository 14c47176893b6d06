FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /app
COPY . .
RUN dotnet restore && dotnet build && dotnet publish
WORKDIR /app/bin/Debug/net8.0

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app/bin/Debug/net8.0
COPY --from=build /app/bin/Debug/net8.0 /app/bin/Debug/net8.0
ENTRYPOINT ["dotnet", "App.dll", "start"]
