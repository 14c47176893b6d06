FROM mcr.microsoft.com/dotnet/sdk:8.0
COPY . .
RUN dotnet publish -c Release -o /
ENTRYPOINT ["dotnet", "/App.dll"]
