package io.databasement.storage.web;

import io.databasement.storage.StorageProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;

/** What a {@code @WebMvcTest} slice needs besides controllers: the properties the token filter reads. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class WebSliceConfiguration {
}
