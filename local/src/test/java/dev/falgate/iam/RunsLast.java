package dev.falgate.iam;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The local module's class order (junit-platform.properties): JUnit's own, except that
 * {@link LeastPrivilegeTest} runs after every other class of the JVM, so it evaluates the
 * operations the whole end-to-end suite recorded.
 */
public final class RunsLast implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        // a stable sort: every other class keeps its place
        context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor d) -> d.getTestClass() == LeastPrivilegeTest.class));
    }
}
