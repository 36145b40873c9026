<?php
// Reference renderings by the PHP libraries Terminus prints through, for the
// cross-check in test_terminus_format_php.py. Reads a JSON list of jobs on stdin and
// writes a JSON list of their outputs. A job is one of:
//   {"kind": "table", "headers": [...], "rows": [[...], ...]}  -> Symfony Table, 'consolidation' style
//   {"kind": "yaml", "data": ...}                              -> Yaml::dump(data, PHP_INT_MAX, 2)
//   {"kind": "json", "data": ...}                              -> json_encode(PRETTY_PRINT|UNESCAPED_SLASHES)
//   {"kind": "json_objects", "text": "..."}                    -> json_encode(json_decode(text), PRETTY_PRINT)
//   {"kind": "csv", "row": [...]}                              -> fputcsv + fgets
//   {"kind": "wordwrap", "text": "...", "width": n}            -> wordwrap(text, n, "\n", true)
require_once '/usr/share/php/Symfony/Component/Console/autoload.php';
require_once '/usr/share/php/Symfony/Component/Yaml/autoload.php';

use Symfony\Component\Console\Helper\Table;
use Symfony\Component\Console\Helper\TableStyle;
use Symfony\Component\Console\Output\BufferedOutput;
use Symfony\Component\Yaml\Yaml;

function run_job(array $job): string
{
    ob_start();
    switch ($job['kind']) {
        case 'table':
            $output = new BufferedOutput(BufferedOutput::VERBOSITY_NORMAL, false);
            $table = new Table($output);
            $style = new TableStyle();
            $style->setHorizontalBorderChars('-')->setVerticalBorderChars(' ')->setDefaultCrossingChar(' ');
            $table->setStyleDefinition('consolidation', $style);
            $table->setStyle('consolidation');
            $table->setHeaders($job['headers']);
            $table->setRows($job['rows']);
            $table->render();
            echo $output->fetch();
            break;
        case 'yaml':
            echo Yaml::dump($job['data'], PHP_INT_MAX, 2), "\n";
            break;
        case 'json':
            echo json_encode($job['data'], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
            break;
        case 'json_objects':
            echo json_encode(json_decode($job['text']), JSON_PRETTY_PRINT);
            break;
        case 'csv':
            $buffer = fopen('php://temp', 'r+');
            fputcsv($buffer, $job['row'], ',', '"', "\\");
            rewind($buffer);
            echo fgets($buffer);
            break;
        case 'wordwrap':
            echo wordwrap($job['text'], $job['width'], "\n", true);
            break;
    }
    return ob_get_clean();
}

$jobs = json_decode(stream_get_contents(STDIN), true);
echo json_encode(array_map('run_job', $jobs), JSON_INVALID_UTF8_SUBSTITUTE);
