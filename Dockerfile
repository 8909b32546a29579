# syntax=docker/dockerfile:1
# Threadline in a container: build the frontend with Node, the server with Maven on JDK 25, and
# run it on a Java 25 runtime. Runner JVMs are started inside the same container from the jar.

# 1. Frontend bundle (Vite 8 needs Node 20.19 or newer).
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build
# vite writes to ../target/classes/static/app

# 2. Server jar; the frontend step of the Maven build is skipped, its output is copied in.
FROM eclipse-temurin:25-jdk AS server
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -Dfrontend.skip=true dependency:go-offline
COPY src/ src/
COPY --from=frontend /src/target/classes/static/app/ target/classes/static/app/
RUN ./mvnw -B -ntp -Dfrontend.skip=true -DskipTests package \
    && cp target/threadline-*.jar /threadline.jar

# 3. Runtime.
FROM eclipse-temurin:25-jre
RUN useradd --system --create-home --home-dir /var/lib/threadline threadline
WORKDIR /var/lib/threadline
COPY --from=server /threadline.jar /opt/threadline/threadline.jar
USER threadline
# Recordings (threadline.recordings.dir, relative to the working directory): mount a volume here
# to keep them across containers.
RUN mkdir -p /var/lib/threadline/data/recordings
VOLUME /var/lib/threadline/data
EXPOSE 8080
# Health: GET /actuator/health (the JRE image has no curl or wget for a HEALTHCHECK).
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/opt/threadline/threadline.jar", "--server.address=0.0.0.0", "--server.port=8080"]
