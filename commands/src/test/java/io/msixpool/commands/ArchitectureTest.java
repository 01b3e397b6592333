package io.msixpool.commands;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;

/**
 * The layers, as classes (the main classes of every module; this module's tests see them all), in
 * the manner of ddd-by-examples/library: the domain depends on no infrastructure, the modules depend
 * one way (domain, then fixtures and projections, then replay, then commands), and the command line,
 * the HTTP bus and the benchmark, the ways in from outside, are used by nothing beneath them.
 */
@AnalyzeClasses(packages = "io.msixpool", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String DOMAIN = "io.msixpool.domain..";
    private static final String FIXTURES = "io.msixpool.fixtures..";
    private static final String PROJECTIONS = "io.msixpool.projections..";
    private static final String REPLAY = "io.msixpool.replay..";
    private static final String COMMANDS = "io.msixpool.commands..";
    private static final String CLI = "io.msixpool.commands.cli..";
    private static final String HTTP = "io.msixpool.commands.http..";
    private static final String BENCH = "io.msixpool.commands.bench..";

    /**
     * Of Axon, the domain uses what the aggregate and its messages need today and nothing more: the
     * aggregate's annotations and lifecycle, the commands' target id, the events' revision, event
     * metadata (the retry memory is rebuilt from it), and the base class of {@code Rejection}, which
     * carries a rejection's code across any command bus, and the rollback rule the aggregate states
     * for its refusals ({@code Device.ROLLBACK}: the one place a refusal becomes what Axon needs). No
     * event store, bus, configuration or serializer: those are the engine's.
     */
    private static final DescribedPredicate<JavaClass> AXON_OF_THE_DOMAIN = belongToAnyOf(
            AggregateIdentifier.class, CreationPolicy.class, AggregateCreationPolicy.class, AggregateLifecycle.class,
            TargetAggregateIdentifier.class, CommandHandler.class, CommandExecutionException.class,
            EventSourcingHandler.class, MetaData.class, Revision.class,
            RollbackConfiguration.class, RollbackConfigurationType.class);

    /**
     * The JDK without I/O, JDBC or network (java.lang, java.util, java.security for the command digest,
     * java.nio.charset for its bytes), Jackson's annotations (not its databind), those Axon types, and
     * the domain itself: nothing else of this project, no Reactor, Netty, picocli or HikariCP.
     */
    private static final ArchRule THE_DOMAIN_DEPENDS_ON_NO_INFRASTRUCTURE = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat(orArraysOf(resideInAPackage(DOMAIN)
                    .or(resideInAnyPackage("java.lang..", "java.util..", "java.security..", "java.nio.charset.."))
                    .or(resideInAPackage("com.fasterxml.jackson.annotation.."))
                    .or(AXON_OF_THE_DOMAIN)))
            .because("the domain is the model and nothing else (domain/README.md)");

    private static final ArchRule THE_MODULES_DEPEND_ONE_WAY = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("domain").definedBy(DOMAIN)
            .layer("fixtures").definedBy(FIXTURES)
            .layer("projections").definedBy(PROJECTIONS)
            .layer("replay").definedBy(REPLAY)
            .layer("commands").definedBy(COMMANDS)
            .whereLayer("commands").mayNotBeAccessedByAnyLayer()
            .whereLayer("replay").mayOnlyBeAccessedByLayers("commands")
            .whereLayer("fixtures").mayOnlyBeAccessedByLayers("replay", "commands")
            .whereLayer("projections").mayOnlyBeAccessedByLayers("replay", "commands")
            .whereLayer("domain").mayOnlyBeAccessedByLayers("fixtures", "projections", "replay", "commands")
            .because("domain <- fixtures, projections <- replay <- commands (README.md, Modules)");

    /** The command line starts the HTTP bus and the benchmark, and the benchmark runs the bus; nothing else uses them. */
    private static final ArchRule THE_WAYS_IN_ARE_USED_BY_NOTHING_BENEATH_THEM = noClasses()
            .that().resideOutsideOfPackages(CLI, HTTP, BENCH)
            .should().dependOnClassesThat().resideInAnyPackage(CLI, HTTP, BENCH)
            .because("the engine, the stores and the wire serve every way in; none of them knows the ways in");

    private static final ArchRule NOTHING_USES_THE_COMMAND_LINE = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the command line is the outermost layer");

    // The rules are checked by methods, not as @ArchTest fields: Surefire 3.5.3, this build's, neither
    // runs nor fails rule fields (SUREFIRE-2298, TNG/ArchUnit#1442); it runs @ArchTest methods.

    @ArchTest
    static void theDomainDependsOnNoInfrastructure(JavaClasses classes) {
        THE_DOMAIN_DEPENDS_ON_NO_INFRASTRUCTURE.check(classes);
    }

    @ArchTest
    static void theModulesDependOneWay(JavaClasses classes) {
        THE_MODULES_DEPEND_ONE_WAY.check(classes);
    }

    @ArchTest
    static void theWaysInAreUsedByNothingBeneathThem(JavaClasses classes) {
        THE_WAYS_IN_ARE_USED_BY_NOTHING_BENEATH_THEM.check(classes);
    }

    @ArchTest
    static void nothingUsesTheCommandLine(JavaClasses classes) {
        NOTHING_USES_THE_COMMAND_LINE.check(classes);
    }

    /** {@code allowed}, its arrays, and primitives (an {@code int[]} or a {@code VfState[]} is no dependency of its own). */
    private static DescribedPredicate<JavaClass> orArraysOf(DescribedPredicate<JavaClass> allowed) {
        return DescribedPredicate.describe(allowed.getDescription() + " (or arrays of them, or primitives)", type -> {
            JavaClass base = type.getBaseComponentType();
            return base.isPrimitive() || allowed.test(base);
        });
    }
}
