package io.databasement.backupworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class BackupWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(BackupWorkerApplication.class, args);
    }
}
