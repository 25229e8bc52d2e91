package dev.courier.testsupport.suite;

import dev.courier.localservices.suite.SuiteResources;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Registered as a JUnit Platform service: stops the suite's brokers when the test session ends. */
public final class StopSuiteResources implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SuiteResources.stopAll();
    }
}
