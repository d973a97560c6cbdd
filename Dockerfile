# HealthAssist: the `healthassist` CLI, whose default command `serve` runs the API exactly like the Api project.
# Build: docker build -t healthassist .    Run with SQL Server and health checks: docker compose up (docker-compose.yml).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# UseAppHost=false: the image starts the app through `dotnet healthassist.dll`, so no native launcher is needed.
# Globalization stays on (ICU ships in the aspnet image): Microsoft.Data.SqlClient refuses invariant mode.
RUN dotnet publish src/HealthAssist.Cli -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The aspnet image has no HTTP client; curl is there only for the compose healthcheck on /health/ready.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# The data folder (keys, SQLite file, blobs) belongs to the image's non-root user ($APP_UID, 1654), so a new named
# volume mounted on it starts with that owner. Mode 0700, like the key folder the application creates itself.
RUN mkdir -p /var/lib/healthassist \
    && chown "$APP_UID:$APP_UID" /var/lib/healthassist \
    && chmod 0700 /var/lib/healthassist
WORKDIR /app
COPY --from=build /app ./
ENV HealthAssist__DataDirectory=/var/lib/healthassist ASPNETCORE_URLS=http://+:8080
USER $APP_UID
VOLUME /var/lib/healthassist
EXPOSE 8080
ENTRYPOINT ["dotnet", "healthassist.dll"]
CMD ["serve"]
