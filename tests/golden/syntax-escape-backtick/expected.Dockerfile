# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
WORKDIR C:/src
COPY . .
RUN dotnet publish -c Release `
    -o C:/app
WORKDIR C:/app

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR /C:/src/C:/app
COPY --from=build /C:/src/C:/app /C:/src/C:/app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Web.dll"]
