package dev.palaver.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Dependencies point one way, {@code server → providers → media}, and the real-time engine ({@code media})
 * is plain Java: no Spring, no JDBC, no vendor SDK. The classes come from the media and providers
 * modules on this module's class path.
 */
class ArchitectureTest {

    private static JavaClasses palaver;

    @BeforeAll
    static void importClasses() {
        palaver = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.palaver.media", "dev.palaver.providers", "dev.palaver.server");
        assertThat(palaver.stream().filter(c -> c.getPackageName().startsWith("dev.palaver.media"))).isNotEmpty();
        assertThat(palaver.stream().filter(c -> c.getPackageName().startsWith("dev.palaver.server"))).isNotEmpty();
    }

    @Test
    void mediaDependsOnlyOnTheJdkAndSlf4j() {
        classes().that().resideInAPackage("dev.palaver.media..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "javax.annotation..", "org.slf4j..", "dev.palaver.media..")
                .check(palaver);
    }

    @Test
    void mediaUsesNoJdbc() {
        noClasses().that().resideInAPackage("dev.palaver.media..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .check(palaver);
    }

    @Test
    void mediaAndProvidersNeverDependOnServer() {
        noClasses().that().resideInAnyPackage("dev.palaver.media..", "dev.palaver.providers..")
                .should().dependOnClassesThat().resideInAPackage("dev.palaver.server..")
                .check(palaver);
    }

    @Test
    void mediaNeverDependsOnProviders() {
        noClasses().that().resideInAPackage("dev.palaver.media..")
                .should().dependOnClassesThat().resideInAPackage("dev.palaver.providers..")
                .check(palaver);
    }
}
