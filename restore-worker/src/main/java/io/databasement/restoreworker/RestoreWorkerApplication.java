package io.databasement.restoreworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RestoreWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RestoreWorkerApplication.class, args);
    }
}
