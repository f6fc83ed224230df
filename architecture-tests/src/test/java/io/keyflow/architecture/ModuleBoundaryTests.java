package io.keyflow.architecture;

import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries between Keyflow's modules, checked on their main code: "internal" is a boundary, not a name.
 * <ul>
 * <li>no module uses another module's {@code internal} package;</li>
 * <li>no public type outside an {@code internal} package exposes an internal type in a public or protected
 * signature (super type, constructor, method, field);</li>
 * <li>{@code plugin-api} depends on the JDK only;</li>
 * <li>the core ({@code credential-plugin}) depends on no servlet or Spring MVC type: the HTTP surface is the REST
 * module's.</li>
 * </ul>
 */
class ModuleBoundaryTests {

	/** Each module's root package. */
	static final List<String> MODULES = List.of("io.keyflow.api", "io.keyflow.plugin", "io.keyflow.rest",
			"io.keyflow.vault", "io.keyflow.actions", "io.keyflow.client", "io.keyflow.cli", "io.keyflow.externaltask");

	private static JavaClasses main;

	@BeforeAll
	static void importMainCode() {
		main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages("io.keyflow");
		// the module jars are on the class path as directories in the reactor, as jars elsewhere
		if (main.isEmpty()) {
			main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages(MODULES.toArray(String[]::new));
		}
	}

	static Stream<String> modules() {
		return MODULES.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("modules")
	void internalPackageWhenUsedFromAnotherModuleThenViolation(String module) {
		noClasses().that()
			.resideOutsideOfPackage(module + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(module + ".internal..")
			.because("a module's internal package is no API; go through plugin-api or the module's public types")
			.check(main);
	}

	@Test
	void publicSignatureWhenItExposesAnInternalTypeThenViolation() {
		classes().that()
			.arePublic()
			.and()
			.resideOutsideOfPackage("..internal..")
			.and()
			.resideInAPackage("io.keyflow..")
			.should(exposeNoInternalType())
			.check(main);
	}

	@Test
	void pluginApiWhenItDependsOnAnythingButTheJdkThenViolation() {
		// the one exception: TaskCredentials reads the task's variable through Camunda's public delegate API
		classes().that()
			.resideInAPackage("io.keyflow.api..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("io.keyflow.api..", "java..", "javax.crypto..", "org.camunda.bpm.engine.delegate..")
			.check(main);
	}

	@Test
	void coreWhenItDependsOnServletOrSpringMvcThenViolation() {
		noClasses().that()
			.resideInAPackage("io.keyflow.plugin..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..", "org.springframework.web.bind..")
			.because("the core runs in engines without HTTP; the REST API, its filters and controllers live in keyflow-rest")
			.check(main);
	}

	private static ArchCondition<JavaClass> exposeNoInternalType() {
		DescribedPredicate<JavaClass> internal = DescribedPredicate.describe("internal",
				(type) -> type.getPackageName().contains(".internal"));
		return new ArchCondition<>("expose no internal type in a public or protected signature") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				type.getRawSuperclass()
					.filter(internal)
					.ifPresent((superclass) -> events.add(SimpleConditionEvent.violated(type,
							type.getName() + " extends internal " + superclass.getName())));
				type.getRawInterfaces()
					.stream()
					.filter(internal)
					.forEach((iface) -> events.add(SimpleConditionEvent.violated(type,
							type.getName() + " implements internal " + iface.getName())));
				for (JavaCodeUnit unit : type.getCodeUnits()) {
					if (!visible(unit.getModifiers())) {
						continue;
					}
					Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream())
						.filter(internal)
						.forEach((exposed) -> events.add(SimpleConditionEvent.violated(unit,
								unit.getFullName() + " exposes internal " + exposed.getName())));
				}
				for (JavaField field : type.getFields()) {
					if (visible(field.getModifiers()) && internal.test(field.getRawType())) {
						events.add(SimpleConditionEvent.violated(field,
								field.getFullName() + " exposes internal " + field.getRawType().getName()));
					}
				}
			}

		};
	}

	private static boolean visible(java.util.Set<JavaModifier> modifiers) {
		return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
	}

}
