package dev.palaver.server.platform.db;


import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.palaver.server.platform.config.PalaverProperties;

/**
 * One PostgreSQL for everything: an external server when {@code PALAVER_DATABASE_URL} is set, otherwise
 * the embedded one under the data directory.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    DatabaseServer databaseServer(PalaverProperties props) {
        PalaverProperties.Database db = props.database();
        if (!db.embedded()) {
            log.info("Using the external PostgreSQL at {}", JdbcUrls.withoutCredentials(db.url()));
            return DatabaseServer.external(db.url(), db.username(), db.password());
        }
        EmbeddedPostgres pg = EmbeddedPostgres.start(props.dataDir().resolve("postgres"), db.embeddedPort());
        return DatabaseServer.embedded(pg);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseServer server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("palaver");
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(20);
        config.setMinimumIdle(2);
        // Short waits so that a lost database shows as "not ready" within seconds, not half a minute.
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(30_000);
        config.addDataSourceProperty("connectTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "palaver");
        return new HikariDataSource(config);
    }

    /** Where the data source points; owns the embedded server's lifetime when there is one. */
    record DatabaseServer(String jdbcUrl, String username, String password, EmbeddedPostgres embedded)
            implements AutoCloseable {

        static DatabaseServer external(String url, String username, String password) {
            return new DatabaseServer(url, username, password, null);
        }

        static DatabaseServer embedded(EmbeddedPostgres pg) {
            return new DatabaseServer(pg.jdbcUrl(), pg.username(), pg.password(), pg);
        }

        @Override
        public void close() {
            if (embedded != null) {
                embedded.close();
            }
        }

        @Override
        public String toString() {
            return "DatabaseServer[" + JdbcUrls.withoutCredentials(jdbcUrl) + "]";
        }
    }

}
